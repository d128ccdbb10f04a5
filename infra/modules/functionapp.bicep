// The Function App on the Flex Consumption plan: .NET 10 isolated worker, the app package pulled
// from a blob container with the user-assigned identity, and the scale limits main.bicep chose.
// Settings Flex Consumption rejects or ignores are never set here: FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION (functionAppConfig.runtime says it), WEBSITE_RUN_FROM_PACKAGE and
// SCM_DO_BUILD_DURING_DEPLOYMENT (functionAppConfig.deployment says it), WEBSITE_CONTENTSHARE and
// WEBSITE_CONTENTAZUREFILECONNECTIONSTRING (no Azure Files content share),
// WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT (scaleAndConcurrency.maximumInstanceCount says it),
// alwaysOn and linuxFxVersion.

@description('Function App name (also its host name, so globally unique).')
@minLength(2)
@maxLength(60)
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region (one that offers Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource ID of the user-assigned managed identity the app runs as.')
param identityId string

@description('Blob endpoint of the storage account holding the deployment container.')
param blobEndpoint string

@description('Container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Most instances the app scales out to (main.bicep derives the per-instance rate budget from it).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of one instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Instances of the queue function kept warm (0: scale to zero when idle).')
@minValue(0)
param alwaysReadyInstances int

@description('The app settings, name to value: main.bicep keeps the one list.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Always-ready instances count towards maximumInstanceCount. The queue function is named
        // BackfillSymbol ([Function(nameof(BackfillSymbol))] in src/Functions).
        alwaysReady: alwaysReadyInstances == 0
          ? []
          : [
              {
                name: 'function:BackfillSymbol'
                instanceCount: alwaysReadyInstances
              }
            ]
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        for setting in items(appSettings): {
          name: setting.key
          value: string(setting.value)
        }
      ]
    }
  }
}

@description('Function App name.')
output name string = site.name

@description('Default host name of the Function App.')
output defaultHostName string = site.properties.defaultHostName
