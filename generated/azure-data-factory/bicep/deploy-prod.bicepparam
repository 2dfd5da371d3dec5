// Parameters of deploy-prod.bicep; the manifest set these values.
using 'deploy-prod.bicep'

param enforcementMode = 'Default'
param location = 'westeurope'
