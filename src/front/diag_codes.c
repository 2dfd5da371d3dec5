#include "pacc/diag_codes.h"

#include <stdlib.h>
#include <string.h>

/*
 * One entry per code, sorted.  Keep each entry word for word equal to its
 * section in grammar/README.md; test_diag_codes checks that they agree.
 */
static const struct diag_code_info codes[] = {
	{ "E0001", DIAG_ERROR, "unexpected character",
	  "A byte that cannot start any token of the language: not a letter, digit, quote, "
	  "bracket or operator pacc knows.",
	  "`service @`" },
	{ "E0002", DIAG_ERROR, "invalid UTF-8",
	  "The file is not valid UTF-8: a byte or sequence that is not a Unicode character "
	  "(overlong forms and surrogates included). Packs and JSON inputs must be UTF-8.",
	  "a byte `\\xff` in a string" },
	{ "E0003", DIAG_ERROR, "too many errors",
	  "The run stops after 50 errors (or the number `--max-errors` gives) and reports "
	  "this once, so a badly broken file does not flood the terminal.",
	  "51 errors" },
	{ "E0004", DIAG_ERROR, "NUL byte in source",
	  "The file contains a NUL byte (`\\0`), which no pack or JSON input may hold.",
	  "a `\\0` byte anywhere" },
	{ "E0005", DIAG_ERROR, "unterminated string",
	  "A `\"` string does not end on the line it starts on.",
	  "`display \"abc` then end of line" },
	{ "E0006", DIAG_ERROR, "unterminated text block",
	  "A `\"\"\"` text block is never closed before the end of the file.",
	  "`\"\"\"` never closed" },
	{ "E0007", DIAG_ERROR, "invalid escape",
	  "A string has an escape pacc does not know, a `\\u0000` (strings cannot hold "
	  "NUL), or a lone surrogate.",
	  "`\"\\q\"`, `\"a\\u0000b\"`" },
	{ "E0008", DIAG_ERROR, "line too long",
	  "A line is longer than 65,536 bytes.",
	  "a line of 70,000 characters" },
	{ "E0009", DIAG_ERROR, "file too large",
	  "The file is larger than 16 MiB (a pack or a JSON input). It is reported at line "
	  "1, column 1 and not read further.",
	  "a 17 MiB file" },
	{ "E0010", DIAG_ERROR, "unterminated comment",
	  "A `/*` comment is never closed before the end of the file.",
	  "`/*` never closed" },
	{ "E0011", DIAG_ERROR, "invalid number",
	  "A number is malformed (`1.`) or too large for a double (`1e309`).",
	  "`1.`, `1e309`" },
	{ "E0101", DIAG_ERROR, "syntax error",
	  "The parser expected something else at this place; the message says what it "
	  "expected and what it found, with a \"did you mean\" when a keyword or operator "
	  "is misspelt.",
	  "`recomendation NS-2 \"x\" {` after a recommendation: `expected 'recommendation' "
	  "or '}', found 'recomendation'`, help `did you mean 'recommendation'?`" },
	{ "E0102", DIAG_ERROR, "nesting too deep",
	  "Brackets, braces or conditions are nested more than 64 levels deep.",
	  "65 `[` in a row" },
	{ "E0103", DIAG_ERROR, "statement given twice",
	  "A statement that may appear once was given twice, or a policy has two kinds of "
	  "effect details.",
	  "`display \"a\"` then `display \"b\"` in one policy" },
	{ "E0104", DIAG_ERROR, "test fixture statement",
	  "In a `test` block, `resource` or `related` is followed by a word other than `file`: write a JSON value or `file \"path\"`.",
	  "`test \"t\" { resource fixture \"x.json\" expect audit }`" },
	{ "E0201", DIAG_ERROR, "service incomplete",
	  "The service lacks a required statement (`ms.service`, `author`, `ms.author`, "
	  "`ms.date`, `category`, `version`) or declares no `governs`.",
	  "`service \"S\" { ms.service \"s\" }`" },
	{ "E0202", DIAG_ERROR, "invalid ms.date",
	  "`ms.date` is not a calendar date written YYYY-MM-DD.",
	  "`ms.date \"2025-02-30\"`" },
	{ "E0203", DIAG_ERROR, "service without sections",
	  "A pack with a `service` has no sections; the guide needs at least one.",
	  "a pack holding only `service \"S\" { ... }`" },
	{ "E0204", DIAG_ERROR, "empty section",
	  "A section has no recommendations.",
	  "`section net \"Net\" { \"\"\"Text.\"\"\" }`" },
	{ "E0205", DIAG_WARNING, "description length",
	  "Warning: the front-matter description is not 75 to 300 characters long, the "
	  "length Learn expects.",
	  "`description \"Too short.\"`" },
	{ "E0206", DIAG_ERROR, "duplicate section id",
	  "Two sections have the same id (ignoring case).",
	  "`section net ...` twice" },
	{ "E0207", DIAG_ERROR, "duplicate recommendation id",
	  "Two recommendations of the pack have the same id (ignoring case), in one section"
	  " or in two. It is one error: the policy names the second one derives are not "
	  "reported again as E0302.",
	  "`recommendation NS-1 ...` in two sections" },
	{ "E0208", DIAG_ERROR, "enforce without suffix",
	  "A recommendation's second or later `enforce` block has no suffix, so its policy "
	  "name would clash with the first.",
	  "`enforce { ... } enforce { ... }`" },
	{ "E0209", DIAG_ERROR, "duplicate enforce suffix",
	  "Two `enforce` blocks of one recommendation share a suffix (ignoring case).",
	  "`enforce deny { ... } enforce Deny { ... }`" },
	{ "E0210", DIAG_ERROR, "invalid link target",
	  "A `see` or `related` target is neither an `https://` URL nor a site-relative "
	  "Learn path (starting with `/`, no locale segment, no `.md`, no spaces).",
	  "`see \"x\" -> \"http://example.com\"`, `\"/en-us/azure/x\"`, `\"/azure/x.md\"`, "
	  "`\"azure/x\"`" },
	{ "E0211", DIAG_ERROR, "invalid version",
	  "A version is not MAJOR.MINOR.PATCH, optionally followed by `-preview` or "
	  "`-deprecated`.",
	  "`version \"1.0\"`" },
	{ "E0212", DIAG_ERROR, "invalid governs",
	  "`governs` names no resource type (`Microsoft.Provider/type`), or its API version"
	  " is not YYYY-MM-DD with an optional suffix.",
	  "`governs \"DataFactory\" at \"2018-06\"`" },
	{ "E0213", DIAG_ERROR, "sections without a service",
	  "A pack has sections but no `service` for them to belong to.",
	  "`section net \"Net\" { ... }` alone" },
	{ "E0214", DIAG_ERROR, "invalid title",
	  "A section or recommendation title is empty or ends in punctuation (`. , ; : ! "
	  "?`).",
	  "`recommendation NS-1 \"Use private endpoints.\" {`" },
	{ "E0215", DIAG_ERROR, "duplicate section title",
	  "Two sections share a title (ignoring case), or a section is titled \"Related "
	  "content\", which the guide adds itself.",
	  "two `section ... \"Network security\"`" },
	{ "E0216", DIAG_ERROR, "missing text",
	  "The service has no `intro`, a section has no description, or a recommendation "
	  "has no explanation text.",
	  "`recommendation NS-1 \"Use private endpoints\" { see \"x\" -> \"/azure/x\" }`" },
	{ "E0217", DIAG_ERROR, "invalid heading",
	  "A `heading` does not start with \"Secure\", as Learn's security guides do.",
	  "`heading \"Data Factory hardening\"`" },
	{ "E0218", DIAG_ERROR, "empty pack",
	  "The pack declares nothing: the file is empty or holds only comments.",
	  "a file holding only `# draft`" },
	{ "E0301", DIAG_ERROR, "invalid name",
	  "A policy or initiative name is not a valid Azure name and a safe file name (1 to"
	  " 64 characters, no reserved characters, device names, control characters, "
	  "bidirectional controls or zero-width characters). A pack name (the file's"
	  " base name, which names the output directory and the pack's initiative) is "
	  "checked too, at 1:1, and so is `ms.service`, which names the guide.",
	  "`policy \"con.json\"`, `policy \"a/b\"`, `policy \".x\"`, a pack file `con.pacc`, "
	  "`ms.service \"x/../../..\"`" },
	{ "E0302", DIAG_ERROR, "duplicate policy name",
	  "Two policies (after deriving `enforce` names, ignoring case), or two "
	  "initiatives, have the same name.",
	  "`policy \"pk-ns-1\"` in pack `pk` with an `enforce` under `NS-1`" },
	{ "E0303", DIAG_ERROR, "display name too long",
	  "A display name is longer than 128 characters, the limit for custom definitions.",
	  "`display \"<129 characters>\"`" },
	{ "E0304", DIAG_ERROR, "description too long",
	  "A description is longer than 512 characters.",
	  "`description \"<513 characters>\"`" },
	{ "E0305", DIAG_ERROR, "unknown effect",
	  "An effect Azure Policy does not know: a literal effect, an allowed value or the "
	  "default of the effect parameter. A misspelt effect, or a verb form such as "
	  "`denied`, gets a \"did you mean\".",
	  "`effect denny`" },
	{ "E0306", DIAG_ERROR, "details do not fit the effects",
	  "The effect details do not fit the effects the policy can have (for example "
	  "`effect modify` without a `modify` block). A warning for BuiltIn and Static "
	  "definitions.",
	  "`effect modify` without a `modify { ... }` block" },
	{ "E0307", DIAG_ERROR, "unknown parameter type",
	  "A parameter has no type or one Azure does not know.",
	  "`param a Strng`" },
	{ "E0308", DIAG_ERROR, "value does not fit the type",
	  "A default or allowed value does not fit the parameter's type. A warning for "
	  "BuiltIn and Static definitions.",
	  "`param b Integer = 1.5`" },
	{ "E0309", DIAG_ERROR, "default not allowed",
	  "The default value is not among the allowed values. A warning for BuiltIn and "
	  "Static definitions.",
	  "`param a String { allowed [\"x\"] default \"y\" }`" },
	{ "E0310", DIAG_ERROR, "duplicate parameter",
	  "Two parameters of one policy or initiative have the same name (ignoring case).",
	  "`effect audit|deny = audit` and `param effect String`" },
	{ "E0311", DIAG_ERROR, "unused parameter",
	  "A parameter is never used: an error in `enforce`, a warning in other custom "
	  "declarations.",
	  "`param spare String` with no `parameters('spare')`" },
	{ "E0312", DIAG_ERROR, "undeclared parameter",
	  "An expression names a parameter that is not declared.",
	  "`\"[parameters('nope')]\"`" },
	{ "E0313", DIAG_ERROR, "invalid template expression",
	  "A string that starts with `[` and ends with `]` is not a valid template "
	  "expression.",
	  "`\"[concat('a' 'b')]\"`" },
	{ "E0314", DIAG_ERROR, "unknown mode",
	  "The mode is not `All`, `Indexed` or a data-plane mode "
	  "`Microsoft.<Provider>.Data`.",
	  "`mode Indexd`" },
	{ "E0315", DIAG_ERROR, "counted field without [*]",
	  "A `count` names a field that has no `[*]`, so there is nothing to count.",
	  "`count field \"Microsoft.X/y/rules\" > 0`" },
	{ "E0316", DIAG_ERROR, "invalid in operand",
	  "The operand of `in` or `notIn` is neither an array nor an expression.",
	  "`field \"location\" in \"westeurope\"`" },
	{ "E0317", DIAG_ERROR, "invalid exists operand",
	  "The operand of `exists` is not true or false.",
	  "`field \"tags\" exists \"yes\"`" },
	{ "E0318", DIAG_ERROR, "invalid operand type",
	  "A pattern operand (`like`, `match` and their variants) is not a string, or a "
	  "count is compared with something that is not a number.",
	  "`field \"name\" like 5`" },
	{ "E0319", DIAG_ERROR, "empty logical operator",
	  "An `all`, `any` or `not` has no condition.",
	  "`any { }`" },
	{ "E0320", DIAG_ERROR, "policy incomplete",
	  "A policy has no `display`, no `if` or no `effect`.",
	  "`policy \"p\" { description \"x\" }`" },
	{ "E0321", DIAG_ERROR, "unknown reference target",
	  "A reference target is neither a policy of the pack nor a full definition id "
	  "starting with `/providers/` or `/subscriptions/`.",
	  "`reference \"R\" -> \"nope\" { }`, `-> \"/bogus/x\"`" },
	{ "E0322", DIAG_ERROR, "undeclared group",
	  "A reference names a group the initiative does not declare.",
	  "`groups [\"nett\"]`" },
	{ "E0323", DIAG_ERROR, "unknown reference parameter",
	  "A reference gives a parameter its local target does not declare.",
	  "`parameter nope = 1`" },
	{ "E0324", DIAG_ERROR, "duplicate group",
	  "Two groups of one initiative have the same name (ignoring case).",
	  "`group net` twice" },
	{ "E0325", DIAG_ERROR, "duplicate reference id",
	  "Two references of one initiative have the same id (ignoring case).",
	  "`reference \"R\" ...` twice" },
	{ "E0326", DIAG_ERROR, "parameter type clash",
	  "One parameter name has different types across the pack's `enforce` policies, "
	  "which the pack's initiative surfaces as one parameter.",
	  "`param tag String` and `param tag Integer`" },
	{ "E0327", DIAG_ERROR, "initiative without references",
	  "An initiative has no references.",
	  "`initiative \"i\" { display \"I\" }`" },
	{ "E0328", DIAG_WARNING, "several wildcards in like",
	  "Warning: a `like` or `notLike` pattern has more than one `*`, which Azure Policy"
	  " does not allow.",
	  "`field \"name\" like \"a*b*\"`" },
	{ "E0329", DIAG_ERROR, "missing reference parameter",
	  "A reference to a local policy gives no value for a parameter that has no "
	  "default.",
	  "`reference \"R\" -> \"p\" { }` where `p` has `param need String`" },
	{ "E0330", DIAG_WARNING, "unknown template function",
	  "Warning: a template function that is neither an ARM template function nor one "
	  "Azure Policy adds (user-defined `ns.fn` and `list*` functions are accepted).",
	  "`\"[toLowr(field('name'))]\"`" },
	{ "E0331", DIAG_WARNING, "wildcard in match",
	  "Warning: a `match` pattern contains `*`, which `match` takes literally; `like` "
	  "is the operator with wildcards.",
	  "`field \"name\" match \"web-*\"`" },
	{ "E0332", DIAG_ERROR, "id hides characters",
	  "A section or recommendation id, an `enforce` suffix, a parameter, group, reference "
	  "or input name holds a control character, a bidirectional control (U+202A to "
	  "U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C) or a zero-width character "
	  "(U+200B to U+200D, U+2060, U+FEFF), which make one name look like another.",
	  "`recommendation \"NS\\u202e2\" \"Title\" {`" },
	{ "E0333", DIAG_ERROR, "too many parameters",
	  "A policy or an initiative declares more than 400 parameters, Azure's limit per "
	  "definition; for the pack's initiative, each effect parameter and each other "
	  "parameter name counts once.",
	  "401 `param` lines in one `enforce` block" },
	{ "E0334", DIAG_ERROR, "too many references",
	  "An initiative references more than 1,000 policies, Azure's limit per initiative; "
	  "the pack's initiative has one reference per `enforce` block.",
	  "1,001 `reference` lines in one `initiative`" },
	{ "E0335", DIAG_ERROR, "definition too large",
	  "A generated definition or initiative is larger than Azure's request limit of "
	  "1,048,576 bytes, measured without indentation; `pacc build` reports it at the "
	  "declaration the file comes from, before anything is written.",
	  "`field \"location\" in [ ... ]` with 60,000 strings" },
	{ "E0336", DIAG_ERROR, "extra condition not an object",
	  "An `extra { ... }` condition (a condition kept verbatim as JSON) is not a JSON"
	  " object.",
	  "`if { extra [\"a\"] }`" },
	{ "E0401", DIAG_ERROR, "harden on an ungoverned type",
	  "`harden` names a resource type the pack does not govern.",
	  "`harden \"Microsoft.DataFactory/factorie\" { ... }`" },
	{ "E0402", DIAG_ERROR, "hardened type without API version",
	  "A hardened resource type has no pinned API version in its `governs ... at "
	  "\"...\"`.",
	  "`governs \"Microsoft.KeyVault/vaults\"` without `at \"...\"` and a `harden` on "
	  "it" },
	{ "E0403", DIAG_ERROR, "undeclared input",
	  "`input.NAME` names no declared input.",
	  "`set properties.x = input.workspaceid`" },
	{ "E0404", DIAG_ERROR, "unused input",
	  "An input is declared but never used. The help says how to use it: as the value "
	  "of a setting (`set properties.<path> = input.NAME`) or of a companion argument "
	  "(`workspace = input.NAME`) in a `harden` block.",
	  "`input spare String \"...\"` and no `input.spare`" },
	{ "E0405", DIAG_ERROR, "conflicting settings",
	  "Two settings of one resource type conflict: the same path with different values,"
	  " or one path inside the other.",
	  "`set properties.publicNetworkAccess = \"Disabled\"` in NS-2 and `= \"Enabled\"` "
	  "in NS-3; `set identity = {...}` and `set identity.type = \"...\"`" },
	{ "E0406", DIAG_ERROR, "duplicate input",
	  "Two inputs have the same name (ignoring case).",
	  "`input workspaceId ...` twice" },
	{ "E0407", DIAG_ERROR, "unknown companion",
	  "The companion kind is not one pacc knows (`diagnostics`, `private-endpoint`, "
	  "`lock`, `role-assignment`, `child`).",
	  "`companion diagnostic { ... }`" },
	{ "E0408", DIAG_ERROR, "invalid companion argument",
	  "A companion argument is unknown or given twice, or a required one is missing.",
	  "`companion private-endpoint { subnet = input.s }` (no `groupId`)" },
	{ "E0409", DIAG_ERROR, "invalid set path",
	  "A `set` path is malformed or names a member the module writes itself.",
	  "`set name = \"x\"`, `set \"properties..x\" = 1`" },
	{ "E0410", DIAG_ERROR, "unknown input type",
	  "An input has a type pacc does not know, or `secure` on a type other than String "
	  "and Object.",
	  "`input n Strng \"...\"`" },
	{ "E0411", DIAG_ERROR, "companion argument shape",
	  "A companion argument has the wrong shape (a string where a list is needed, for "
	  "example).",
	  "`companion lock { level = \"NoDelete\" }`" },
	{ "E0412", DIAG_ERROR, "invalid child companion",
	  "A `child` companion has no one-word type, or another kind of companion has a "
	  "type.",
	  "`companion child { }`" },
	{ "E0413", DIAG_ERROR, "nothing to remediate",
	  "`remediate` has nothing it can derive a twin from, or conflicts with what it "
	  "derives.",
	  "`remediate { }` in a block whose settings all use inputs; `remediate { related "
	  "... }`; `remediate` in a `lock` companion" },
	{ "E0414", DIAG_ERROR, "required property missing",
	  "A hardening module (all `harden` blocks of one type together) or a `child` "
	  "companion lacks a property its resource type requires (see \"What pacc knows "
	  "about resource types\"). It is reported once, at the type's first `harden` "
	  "block.",
	  "`harden \"Microsoft.Storage/storageAccounts\" { set properties.minimumTlsVersion"
	  " = \"TLS1_2\" }` (no `sku.name`, no `kind`)" },
	{ "E0415", DIAG_ERROR, "value the type does not take",
	  "A literal the resource type does not take: a value outside a closed set (also in"
	  " an input's `allowed` list), or a child's name outside its length.",
	  "`set properties.sku.name = \"gold\"` on `Microsoft.KeyVault/vaults`; `companion "
	  "child \"integrationRuntimes\" { name = \"ir\" }`" },
	{ "E0416", DIAG_ERROR, "user-assigned identity without an identity",
	  "An `identity.type` that names `UserAssigned` without the user-assigned "
	  "identities it needs.",
	  "`set identity = { \"type\": \"UserAssigned\" }`" },
	{ "E0417", DIAG_WARNING, "remediation falls back to Contributor",
	  "Warning: a `remediate` twin of a type pacc's type table does not know, with no "
	  "`roleDefinitionIds`, gets the Contributor role, which grants far more than the "
	  "remediation needs.",
	  "`harden \"Microsoft.Widgets/widgets\" { set properties.tls = \"1.2\" remediate { } }`" },
	{ "E0418", DIAG_WARNING, "Indexed mode on a child type",
	  "Warning: `mode Indexed` on a policy whose `if` names a child type (`type == "
	  "\"A/b/c\"`), which Indexed never evaluates.",
	  "`mode Indexed` with `type == \"Microsoft.Storage/storageAccounts/blobServices\"`" },
	{ "E0419", DIAG_ERROR, "diagnostic setting that sends nothing stated",
	  "A diagnostics companion that does not say what it sends: an empty `categories` or "
	  "`categoryGroups`, `logs = false` beside a list, or neither logs nor metrics.",
	  "`companion diagnostics { workspace = input.ws categories = [] }`" },
	{ "E0420", DIAG_ERROR, "invalid `since` version",
	  "`since` is no API version YYYY-MM-DD, or is later than the type's pinned version.",
	  "`set properties.x = \"y\" since \"2019-4-1\"`" },
	{ "E0501", DIAG_ERROR, "unknown alias",
	  "With an alias table (a lock file beside the pack, or `--aliases`), a `field` of a condition, count, `where`, existence condition, Modify operation or Append entry names no alias the table lists; also a `field` that is neither an alias nor a special name. The help names the closest aliases of the same type, or of the closest type.",
	  "`field \"Microsoft.Storage/storageAccounts/minimumTlsVersoin\" == \"TLS1_2\"`, help `did you mean 'Microsoft.Storage/storageAccounts/minimumTlsVersion'?`; `field \"minimumTLSVersions\" != \"TLS1_2\"`" },
	{ "E0502", DIAG_ERROR, "unknown set path",
	  "A `harden ... set properties.<path>` that no alias of the hardened type reads (matched against the default paths of the type's aliases), with the closest path as help.",
	  "`set properties.minimumTlsVersoin = \"TLS1_2\"` on `Microsoft.Storage/storageAccounts`, help `did you mean 'properties.minimumTlsVersion'?`" },
	{ "E0503", DIAG_ERROR, "alias not modifiable",
	  "A Modify operation, written or derived by `remediate`, on an alias the table does not mark `Modifiable`; Azure rejects such a definition. Needs the JSON export.",
	  "`set \"Microsoft.Storage/storageAccounts/primaryEndpoints.blob\" = \"x\"` in a `modify` block" },
	{ "E0504", DIAG_WARNING, "Indexed mode on a type without tags",
	  "Warning: `mode Indexed` on a top-level type whose capabilities lack tags or location support, which Indexed never evaluates; the help says `write 'mode All'`. Needs the JSON export; child types are E0418.",
	  "`mode Indexed` with `type == \"Microsoft.Storage/deletedAccounts\"` (capabilities `None`)" },
	{ "E0505", DIAG_WARNING, "aliases not covered",
	  "Warning: the alias table does not list the aliases of a namespace or type the pack names, so they are not checked: the lock file is stale or the export partial. The help names the closest namespace or says to regenerate the lock file.",
	  "`field \"Microsoft.Storag/storageAccounts/minimumTlsVersion\" == \"x\"`, help `did you mean 'Microsoft.Storage'?`" },
	{ "E0506", DIAG_WARNING, "property newer than the pinned API version",
	  "Warning: the pinned API version of a hardened type is older than the first API version the table lists for a `set` property, so the module cannot set it. Needs the JSON export.",
	  "`governs \"Microsoft.Storage/storageAccounts\" at \"2023-05-01\"` and `set properties.publicNetworkAccess = \"Disabled\"` where the alias lists only `2024-01-01`" },
	{ "E0510", DIAG_ERROR, "test without resource",
	  "A `test` block names no resource: give `resource <json>` or `resource file \"path\"`.",
	  "`test \"t\" { expect audit }`" },
	{ "E0511", DIAG_ERROR, "test without expect",
	  "A `test` block does not say what it expects: give `expect <effect>`, `expect compliant` or `expect notApplicable`.",
	  "`test \"t\" { resource { \"type\": \"a/b\" } }`" },
	{ "E0512", DIAG_ERROR, "unknown expectation",
	  "`expect` names neither an effect Azure knows nor `compliant` or `notApplicable`.",
	  "`expect audt`" },
	{ "E0513", DIAG_ERROR, "test value of the wrong shape",
	  "A test's `resource` or `parameters` is not a JSON object, or its `related` is neither an object nor an array.",
	  "`resource [\"a\"]`" },
	{ "E0514", DIAG_ERROR, "duplicate test name",
	  "Two tests of one policy have the same name, so a report could not tell them apart.",
	  "`test \"t\" { ... } test \"t\" { ... }`" },
	{ "E0515", DIAG_ERROR, "unreadable test fixture",
	  "`pacc test` cannot read a `resource file` or `related file` fixture, or it is not JSON. Paths are relative to the pack's directory.",
	  "`resource file \"missing.json\"`" },
	{ "E0516", DIAG_ERROR, "remediation not compliant",
	  "A hardening module's resource is not compliant with a policy of the pack whose deciding condition reads a path a `set` writes, or a Modify twin leaves a resource non-compliant with its audit policy. Reported at the `set` (or the `remediate`), with a note at the condition.",
	  "`set properties.publicNetworkAccess = \"Enabled\"` beside a policy that audits `publicNetworkAccess != \"Disabled\"`" },
	{ "E0901", DIAG_ERROR, "invalid JSON",
	  "A JSON input is not valid JSON (reported at the byte where parsing stopped), has"
	  " a duplicate member name (at the second), or nests past 1,000 levels.",
	  "`{\"properties\": tru}`, `{\"a\": 1, \"a\": 2}`" },
	{ "E0902", DIAG_ERROR, "not a policy definition",
	  "A JSON input is neither a policy definition nor a policy set definition.",
	  "an envelope with `\"type\": \"Microsoft.Foo/bars\"`, or neither `policyRule` nor"
	  " `policyDefinitions`" },
	{ "E0903", DIAG_ERROR, "shape pacc cannot express",
	  "A JSON value pacc cannot express as a pack, reported at the value with its JSON "
	  "path (`properties.policyRule.if.anyOf[1]`); also a string holding `\\u0000`.",
	  "`{\"field\": \"type\", \"frobs\": \"a\"}` as a condition" },
	{ "E0904", DIAG_ERROR, "directory without JSON",
	  "A directory given to `pacc import` holds no `.json` file. This is about an "
	  "argument and carries no place.",
	  "`pacc import empty/`" },
	{ "E0905", DIAG_ERROR, "unreadable input",
	  "An input of `pacc import` cannot be read; the exit status is 2. This is about an"
	  " argument and carries no place.",
	  "`pacc import missing.json`" },
	{ "E0906", DIAG_ERROR, "two inputs, one pack",
	  "Two arguments of `pacc import` would write the same pack. This is about the "
	  "arguments and carries no place.",
	  "`pacc import a/Network b/Network`" },
	{ "E0907", DIAG_ERROR, "pack too large",
	  "The pack `pacc import` would write is larger than pacc reads (16 MiB). This is "
	  "about an argument and carries no place.",
	  "`pacc import azure-policy` (all of Azure's built-ins as one argument)" },
	{ "E0908", DIAG_ERROR, "name the build refuses",
	  "A name or id in the JSON breaks the rules of E0301 or E0332, so the pack "
	  "`pacc import` would write could not be built; reported at the JSON value.",
	  "`\"name\": \"a/b\"`, a parameter named `\"e\\u202eff\"`" },
	{ "E0910", DIAG_WARNING, "entry not imported",
	  "Warning: an entry below a directory given to `pacc import` is not read: a "
	  "symbolic link to a directory, a symbolic link to a file outside the "
	  "directory's tree, or a `.json` entry that is not a regular file. It is "
	  "reported at the entry, at 1:1, with no source line: nothing of it is read.",
	  "`ln -s /etc/passwd rules/x.json; pacc import rules`" },
	{ "E0911", DIAG_ERROR, "directory too large to import",
	  "A directory given to `pacc import` holds more than 10,000 JSON files (about "
	  "the argument, no place) or nests more than 64 levels (at the entry).",
	  "`pacc import /`" },
	{ "E0912", DIAG_NOTE, "split parts skipped",
	  "Note: files below a directory given to `pacc import` were skipped as split "
	  "parts of a folder-per-policy definition (`X.rules.json` and "
	  "`X.parameters.json` beside `X.json`, which holds the whole definition). About "
	  "the argument, no place.",
	  "`pacc import community-policies/`" },
	{ "E0913", DIAG_NOTE, "definition without properties object",
	  "Note: a JSON input has `name` beside `policyRule` or `policyDefinitions` at "
	  "the top level, with no `properties` object. It is read as an envelope: that "
	  "`name` (and `id`, `type`) name the definition and the other members are its "
	  "properties. Reported at the `name`.",
	  "`{\"name\": \"p\", \"mode\": \"All\", \"policyRule\": {...}}`" },
	{ "E0914", DIAG_ERROR, "one name in two files",
	  "Two files of one directory given to `pacc import` define the same policy or "
	  "initiative name (ignoring case), which the build would refuse. Reported at the"
	  " second file's `name`, with a note at the first; import the two files as "
	  "separate packs.",
	  "`public/x.json` and `sovereign/x.json` both named `x` in `pacc import repo/`" },
	{ "E0915", DIAG_ERROR, "imported definition would not build",
	  "A definition `pacc import` read would give a pack that `pacc build` refuses "
	  "for a reason Azure refuses it too (a parameter used but not declared, an "
	  "invalid template expression, ...): each error of the checker, with its message"
	  " and code, at the definition's `name` in the JSON. Nothing is written.",
	  "`\"equals\": \"[parameters('nope')]\"` with no parameter `nope`" },
	{ "E0951", DIAG_ERROR, "malformed alias CSV line",
	  "A line of an alias CSV is not two fields `alias,defaultPath`, has a stray or unclosed quote, a name that is not `namespace/type/property`, or an empty path.",
	  "`Microsoft.Storage/storageAccounts/a` alone on a line; `Sql/b,properties.b`" },
	{ "E0952", DIAG_ERROR, "alias JSON of the wrong shape",
	  "A value of an alias export or lock file has the wrong shape, reported at the value with its JSON path.",
	  "`{\"name\": \"N.S/t/a\", \"defaultPath\": 5}` (at `[0].resourceTypes[0].aliases[0].defaultPath`); `{\"providers\": []}`" },
	{ "E0953", DIAG_ERROR, "alias listed twice",
	  "An alias is listed twice with different default paths; reported at the second, with a note at the first.",
	  "`Microsoft.Sql/servers/a,properties.a` then `Microsoft.Sql/servers/a,properties.other`" },
	{ "E1001", DIAG_ERROR, "invalid manifest YAML",
	  "The project manifest is not YAML that libyaml reads, reported at libyaml's problem mark with its context as a note, or it holds a second YAML document.",
	  "`environments: [` and then the end of the file; `---` after the first document" },
	{ "E1002", DIAG_ERROR, "tab in manifest indentation",
	  "A line of the manifest is indented with a tab; YAML indents with spaces only.",
	  "a line starting with a tab, then `- name: dev`" },
	{ "E1004", DIAG_ERROR, "YAML anchor or alias",
	  "The manifest uses a YAML anchor (`&name`) or alias (`*name`). pacc refuses them rather than expanding them, so a small file can never stand for a huge one.",
	  "`base: &b {location: w}` or `<<: *b`" },
	{ "E1005", DIAG_ERROR, "duplicate manifest key",
	  "A key is given twice in one mapping of the manifest; reported at the second, with a note at the first.",
	  "`output: a` then `output: b`" },
	{ "E1006", DIAG_ERROR, "unknown manifest key",
	  "A key that the manifest does not know at that place, with a suggestion when a known key is close.",
	  "`enforcment: Default` in an environment" },
	{ "E1007", DIAG_ERROR, "manifest value of the wrong shape",
	  "A mapping, list or scalar where another is needed, an empty value, a `warn-expiry-days` that is not a whole number from 0 to 3650, or more than 100 environments.",
	  "`environments: {name: dev}`, `warn-expiry-days: soon`" },
	{ "E1008", DIAG_ERROR, "missing manifest key",
	  "A key the manifest needs is missing (`environments`; an environment's `name`, `scope` or `location`; an exemption's `policy`, `scope`, `category`, `expires`, `justification` or `owner`), or the manifest is empty.",
	  "an environment without `location`" },
	{ "E1009", DIAG_ERROR, "invalid scope",
	  "A value is not a scope (a management group id, `/subscriptions/<guid>`, `/subscriptions/<guid>/resourceGroups/<name>`), or is a scope of a kind not allowed there: an environment's `scope` is a management group or a subscription.",
	  "`scope: /subscriptions/not-a-guid`; a resource group as an environment's `scope`" },
	{ "E1010", DIAG_ERROR, "invalid choice",
	  "`enforcement` is not `Default` or `DoNotEnforce`, or an exemption's `category` is not `Waiver` or `Mitigated` (ignoring case), with a suggestion when one is close.",
	  "`enforcement: DoNotEnfroce`, `category: Waiverr`" },
	{ "E1011", DIAG_ERROR, "invalid environment name",
	  "An environment name is not 1 to 32 of `[a-z0-9-]` starting with a letter and not ending in `-`, is given twice, or an `extends` names no earlier environment (with a suggestion).",
	  "`name: Prod`; `extends: deb` when only `dev` comes before" },
	{ "E1012", DIAG_ERROR, "unknown name in the manifest",
	  "An `effects`, `messages` or `parameters` key, an exemption's `policy` or an `assignment` pack names no policy, recommendation, parameter or pack of the manifest's packs, with a suggestion when one is close.",
	  "`effects: {azure-key-vault-ns-22: Deny}`" },
	{ "E1013", DIAG_ERROR, "effect not allowed",
	  "An environment gives a policy an effect its effect parameter does not allow, gives a recommendation an effect none of its policies allows, or sets a policy whose effect is fixed.",
	  "`azure-key-vault-ns-2b: Deny` where the policy allows `AuditIfNotExists` or `Disabled`" },
	{ "E1014", DIAG_ERROR, "invalid parameter value",
	  "An environment's parameter value does not fit the parameter's type or its allowed values, or an environment gives no value for a parameter without default.",
	  "`retentionDays: thirty` for an Integer parameter; an environment without `workspaceId`" },
	{ "E1015", DIAG_ERROR, "invalid expiry date",
	  "An exemption's `expires` is not a calendar date written YYYY-MM-DD.",
	  "`expires: 2027-02-30`" },
	{ "E1016", DIAG_ERROR, "expired exemption",
	  "An exemption's `expires` date is before today (`SOURCE_DATE_EPOCH` when it is set, else the clock); the message names its owner.",
	  "`expires: 2026-06-30` when today is 2026-12-01" },
	{ "E1017", DIAG_WARNING, "exemption expires soon",
	  "A warning: an exemption expires within `warn-expiry-days` (30 unless the manifest says otherwise); the message names its owner.",
	  "`expires: 2026-12-20` when today is 2026-12-01" },
	{ "E1018", DIAG_ERROR, "name too long or invalid",
	  "An explicit assignment name (`assignment`) or exemption name (`name`) is longer than Azure allows at its scope (24 characters at a management group, 64 elsewhere) or holds a character Azure refuses; the message shows the name and the limit.",
	  "`assignment: contoso-vaults-guardrails` (25 characters) at a management group" },
	{ "E1019", DIAG_ERROR, "name used twice at one scope",
	  "Two assignments or two exemptions have the same name (ignoring case) at one scope, so one would replace the other.",
	  "two environments at `contoso` that both say `assignment: same`" },
	{ "E1020", DIAG_ERROR, "no pack file",
	  "An entry of `packs` (or the default `policies/*.pacc`) matches no file.",
	  "`packs: [policy/*.pacc]`" },
	{ "E1021", DIAG_ERROR, "exemption outside the assignments",
	  "An exemption's scope is outside the scope of every assignment of its environment, so it could exempt from none.",
	  "a subscription environment and an exemption in another subscription" },
	{ "E1022", DIAG_ERROR, "manifest nested too deep",
	  "The manifest nests mappings and lists more than 32 levels deep; reading stops there.",
	  "`x: [[[[...]]]]` 33 levels deep" },
};
#define CODE_COUNT (sizeof(codes) / sizeof(codes[0]))

static int cmp_code(const void *key, const void *entry)
{
	return strcmp(key, ((const struct diag_code_info *)entry)->code);
}

const struct diag_code_info *diag_code_find(const char *code)
{
	return bsearch(code, codes, CODE_COUNT, sizeof(codes[0]), cmp_code);
}

const struct diag_code_info *diag_code_table(size_t *count)
{
	*count = CODE_COUNT;
	return codes;
}
