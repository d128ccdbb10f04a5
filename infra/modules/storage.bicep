// The storage account: the Functions host's own state (AzureWebJobsStorage), the backfill queue and
// its poison queue, the container holding the SQLite file, and the Flex Consumption deployment
// container. Reached only with Microsoft Entra ID: shared-key access is disabled.

@description('Storage account name: 3 to 24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Queue the timer fills and the backfill worker drains.')
param queueName string

@description('Container holding the SQLite database blob.')
param dataContainerName string

@description('Container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Days a deleted blob or container can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days a previous blob version is kept before lifecycle management deletes it.')
@minValue(1)
@maxValue(3650)
param versionRetentionDays int

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Flex Consumption without VNet integration reaches storage over its public endpoint; access
    // is still Entra ID only (no keys, no SAS signed with keys, no anonymous reads).
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Versioning keeps every committed state of the database blob, so a bad upload is rolled back by
// promoting the previous version (docs/DEPLOY.md). Versions of a block blob share the blocks they
// have in common, and an upload stages only the blocks that changed, so a version costs about the
// change of one tick, not the size of the file. Soft delete covers an accidental delete of the blob
// or of the whole container.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource dataContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: dataContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Without this rule versions would pile up forever (the host's timer status blob and the database
// blob are rewritten every tick). Only previous versions expire; the current blob never does.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-previous-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: versionRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    blobService
  ]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: queueName
}

// The host moves a message here after its last try (host.json maxDequeueCount); created up front
// so it exists before the first failure and an operator can read it.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: '${queueName}-poison'
}

@description('Storage account name.')
output name string = account.name

@description('Storage account resource ID.')
output id string = account.id

@description('Blob service endpoint, e.g. https://<account>.blob.core.windows.net/.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue service endpoint, e.g. https://<account>.queue.core.windows.net/.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Backfill queue name.')
output queueName string = queue.name

@description('Poison queue name.')
output poisonQueueName string = poisonQueue.name

@description('Data container name.')
output dataContainerName string = dataContainer.name

@description('Deployment container name.')
output deploymentContainerName string = deploymentContainer.name
