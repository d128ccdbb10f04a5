// Parameters for infra/main.bicep. Every value here is also the template's default, written out
// so a deployment shows what it sets; change what you need, or override on the command line:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam -p symbols=live
using './main.bicep'

param namePrefix = 'blofin'

// Blofin limits per IP; each instance gets 1/maximumInstanceCount of it (see main.bicep).
param maximumInstanceCount = 2
param instanceMemoryMB = 2048
param alwaysReadyInstances = 0

param storageSku = 'Standard_LRS'
param softDeleteRetentionDays = 14
param versionRetentionDays = 14
param logRetentionDays = 30

// Object ID of the person who sends manual messages and reads the database, e.g.
// az ad signed-in-user show --query id -o tsv
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'

param backfillSchedule = '0 */30 * * * *'
param queueName = 'backfill-requests'
param symbols = 'BTC-USDT,ETH-USDT,SOL-USDT,SHIB-USDT'
param quoteCurrency = 'USDT'
param bar = '1m'
param lookbackHours = 168
param pageSize = 1440
param settleMinutes = 10
param maxConcurrentPages = 8
param messageTimeToLive = '00:25:00'
param enqueueSpread = '00:02:00'
param dataContainerName = 'candles'
param databaseBlobName = 'candles.sqlite'
param leaseDuration = '00:01:00'
param blofinBaseUrl = 'https://openapi.blofin.com'
