// blofin-backfill on Azure: a Function App on the Flex Consumption plan (.NET 10 isolated worker)
// that keeps 1-minute Blofin candles complete in a SQLite file in Blob Storage. Deploy with
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
// (docs/DEPLOY.md). Built and linted offline by scripts/lib/bicep.sh; no registry modules.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------

@description('Azure region for every resource; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Short prefix of every resource name (letters, digits, hyphens); a hash of the subscription, group and prefix makes the names unique.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'blofin'

@description('Tags applied to every resource.')
param tags object = {
  application: 'blofin-backfill'
}

// ---------------------------------------------------------------------------------------------
// Scale and the exchange's rate limit
// ---------------------------------------------------------------------------------------------

// Why the maximum is small: Blofin limits REST requests per IP: 500 per minute and 1500 per
// 5 minutes; a breach suspends the IP for 5 minutes or for an hour. Flex Consumption instances send
// from a pool of outbound IPs, and no instance can tell which IP it uses or who shares it, so the
// only safe assumption is that all of them share one. Each instance therefore gets the exchange's
// budget divided by the most instances that can exist at once: Blofin__ShortWindowLimit and
// Blofin__LongWindowLimit are computed below from this one parameter (2 -> 250 and 750).
// Why 2 and not 1: Flex scales each function on its own instances, so the timer and the queue
// worker may each hold one. The work is small (a complete symbol costs one or two requests a tick,
// a whole 168 h window about 8 pages), so more instances would only split the same budget more thinly.
// Change it here, never with `az functionapp scale config set`, or the budget no longer adds up.
// Concurrency inside an instance does not change the budget: host.json's queues.batchSize (16
// unless host.json sets it) is how many messages one instance works on at once, all behind the one
// rate limiter of the process. Flex scales a queue function out by queue length / batchSize, so batchSize also
// decides how soon a second instance starts.
@description('Most instances the Function App scales out to. Each instance gets 1/N of Blofin\'s per-IP rate limit.')
@minValue(1)
@maxValue(10)
param maximumInstanceCount int = 2

@description('Memory of one instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances of the queue function kept warm (billed while idle; they count towards maximumInstanceCount). 0 scales to zero.')
@minValue(0)
@maxValue(10)
param alwaysReadyInstances int = 0

// ---------------------------------------------------------------------------------------------
// Storage and monitoring
// ---------------------------------------------------------------------------------------------

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a deleted blob or container can be restored (blob and container soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 14

@description('Days a previous version of a blob (e.g. the database before an upload) is kept.')
@minValue(1)
@maxValue(3650)
param versionRetentionDays int = 14

@description('Container the app package is deployed from (Flex Consumption deployment storage).')
@minLength(3)
@maxLength(63)
param deploymentContainerName string = 'app-package'

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Object ID of a person or group who operates the app: gets Storage Blob Data Reader, Storage Queue Data Message Sender and Storage Queue Data Reader on the storage account. Empty: none.')
param operatorPrincipalId string = ''

@description('Kind of principal operatorPrincipalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------
// What the app reads (docs/DEPLOY.md explains each)
// ---------------------------------------------------------------------------------------------

@description('NCRONTAB (six fields, UTC) of the timer that enqueues one message per symbol.')
param backfillSchedule string = '0 */30 * * * *'

@description('Queue of backfill requests; its poison queue is <name>-poison.')
@minLength(3)
@maxLength(56)
param queueName string = 'backfill-requests'

@description('Comma-separated instrument IDs (e.g. BTC-USDT,ETH-USDT), or "live" for every live instrument.')
@minLength(1)
param symbols string = 'BTC-USDT,ETH-USDT,SOL-USDT,SHIB-USDT'

@description('With symbols = live: keep only instruments quoted in this currency (empty: all).')
param quoteCurrency string = 'USDT'

@description('The bar kept complete.')
param bar string = '1m'

@description('The rolling window kept complete, in hours back from the last closed minute.')
@minValue(1)
@maxValue(8784)
param lookbackHours int = 168

@description('Rows asked for per request (Blofin serves at most 1440).')
@minValue(1)
@maxValue(1440)
param pageSize int = 1440

@description('Minutes younger than this are never recorded as missing at the exchange (it can publish late).')
@minValue(0)
@maxValue(1440)
param settleMinutes int = 10

@description('Pages fetched at once per symbol (the process-wide rate limiter still governs).')
@minValue(1)
@maxValue(64)
param maxConcurrentPages int = 8

@description('A timer message older than this is dropped unprocessed, so ticks never pile up (TimeSpan; keep it shorter than the schedule\'s period).')
param messageTimeToLive string = '00:25:00'

@description('The timer\'s messages become visible spread over this interval, so the exchange sees a smooth rate (TimeSpan, at most 00:30:00).')
param enqueueSpread string = '00:02:00'

@description('Container holding the SQLite database blob.')
@minLength(3)
@maxLength(63)
param dataContainerName string = 'candles'

@description('Name of the SQLite database blob in the data container.')
@minLength(1)
param databaseBlobName string = 'candles.sqlite'

@description('Blob lease held while merging into the database (TimeSpan, 15 to 60 seconds; renewed while held).')
param leaseDuration string = '00:01:00'

@description('Blofin REST base URL.')
param blofinBaseUrl string = 'https://openapi.blofin.com'

@description('More app settings, name to value (e.g. {"Blofin__MaxRetries": "6"}). The settings this template computes win over these.')
param extraAppSettings object = {}

// ---------------------------------------------------------------------------------------------
// Derived values
// ---------------------------------------------------------------------------------------------

// Blofin's published limits, per IP (BLOFIN_API.md): 500 requests per 60 s, 1500 per 300 s.
var exchangeShortWindowLimit = 500
var exchangeLongWindowLimit = 1500
var shortWindowLimitPerInstance = exchangeShortWindowLimit / maximumInstanceCount
var longWindowLimitPerInstance = exchangeLongWindowLimit / maximumInstanceCount

var suffix = uniqueString(subscription().id, resourceGroup().id, namePrefix)
var compactPrefix = toLower(replace(namePrefix, '-', ''))
var names = {
  identity: 'id-${namePrefix}-${suffix}'
  storage: take('st${compactPrefix}${suffix}', 24)
  workspace: 'log-${namePrefix}-${suffix}'
  appInsights: 'appi-${namePrefix}-${suffix}'
  plan: 'plan-${namePrefix}-${suffix}'
  functionApp: 'func-${namePrefix}-${suffix}'
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSku
    queueName: queueName
    dataContainerName: dataContainerName
    deploymentContainerName: deploymentContainerName
    softDeleteRetentionDays: softDeleteRetentionDays
    versionRetentionDays: versionRetentionDays
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    // Names known before the deployment starts (not the modules' outputs), so what-if can show
    // the assignments; hence the explicit dependsOn below.
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    // The assignments are named after the principal ID, which exists only once the identity does:
    // what-if shows them less precisely, but an identity deleted and created again under the same
    // name gets new assignments instead of colliding with the orphaned old ones.
    #disable-next-line what-if-short-circuiting
    appPrincipalId: identity.properties.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
  dependsOn: [
    storage
    monitoring
  ]
}

// Every app setting, in one place. Identity-based connections only: no account key, no
// connection string with a secret. The host and the app reach storage as the user-assigned
// identity (AzureWebJobsStorage__credential + __clientId) at the service URIs.
var appSettings = union(extraAppSettings, {
  // Functions host storage: timer lock, queue trigger, host state.
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  // Telemetry, sent with the identity's Entra ID token (the component disables local auth).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  // Triggers.
  BackfillSchedule: backfillSchedule
  BackfillQueueName: storage.outputs.queueName
  // The backfill (BackfillOptions, section Backfill).
  Backfill__Symbols: symbols
  Backfill__QuoteCurrency: quoteCurrency
  Backfill__Bar: bar
  Backfill__LookbackHours: string(lookbackHours)
  Backfill__PageSize: string(pageSize)
  Backfill__SettleMinutes: string(settleMinutes)
  Backfill__MaxConcurrentPages: string(maxConcurrentPages)
  Backfill__MessageTimeToLive: messageTimeToLive
  Backfill__EnqueueSpread: enqueueSpread
  Backfill__Container: storage.outputs.dataContainerName
  Backfill__DatabaseBlob: databaseBlobName
  Backfill__LeaseDuration: leaseDuration
  // The exchange (BlofinOptions, section Blofin): this instance's share of the per-IP budget.
  Blofin__BaseUrl: blofinBaseUrl
  Blofin__ShortWindowLimit: string(shortWindowLimitPerInstance)
  Blofin__LongWindowLimit: string(longWindowLimitPerInstance)
})

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.id
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyInstances: alwaysReadyInstances
    appSettings: appSettings
  }
  // The host starts as soon as the site exists; give it its roles first so its first calls to
  // storage and Application Insights are authorised (assignments can still take minutes to apply).
  dependsOn: [
    roles
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

@description('Function App name (func azure functionapp publish <name>).')
output functionAppName string = functionApp.outputs.name

@description('Storage account name (az storage ... --account-name <name> --auth-mode login).')
output storageAccountName string = storage.outputs.name

@description('Queue the manual backfill message goes to.')
output queueName string = storage.outputs.queueName

@description('Poison queue: messages that failed every try, or could never succeed.')
output poisonQueueName string = storage.outputs.poisonQueueName

@description('Container holding the SQLite database blob.')
output containerName string = storage.outputs.dataContainerName

@description('Name of the SQLite database blob.')
output databaseBlobName string = databaseBlobName

@description('Container the app package is deployed from.')
output deploymentContainerName string = storage.outputs.deploymentContainerName

@description('Application Insights component name.')
output appInsightsName string = monitoring.outputs.appInsightsName

@description('Client ID of the app\'s user-assigned managed identity.')
output identityClientId string = identity.properties.clientId

@description('Requests per 60 s each instance may send (Blofin__ShortWindowLimit).')
output shortWindowLimitPerInstance int = shortWindowLimitPerInstance

@description('Requests per 300 s each instance may send (Blofin__LongWindowLimit).')
output longWindowLimitPerInstance int = longWindowLimitPerInstance
