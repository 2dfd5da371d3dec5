// Parameters of deploy-dev.bicep; the manifest set these values.
using 'deploy-dev.bicep'

param enforcementMode = 'DoNotEnforce'
param location = 'westeurope'
