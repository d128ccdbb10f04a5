// Role assignments: the least the app's user-assigned identity needs, and optionally what a human
// operator needs to send the manual message and read the database. Each assignment is named
// guid(scope, principal, role), so redeploying is idempotent and two principals never collide.
// A module, because an assignment's name must be known when the deployment starts, and the
// identity's principal ID is known only once the identity exists: passed in, it is.

@description('Storage account the roles are scoped to.')
param storageAccountName string

@description('Application Insights component the metrics role is scoped to.')
param appInsightsName string

@description('Principal (object) ID of the app\'s user-assigned managed identity.')
param appPrincipalId string

@description('Principal (object) ID of a human operator or group; empty: no operator roles.')
param operatorPrincipalId string

@description('Kind of principal operatorPrincipalId names.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

// Built-in role definition IDs (the same in every tenant).
var roleIds = {
  // Storage Blob Data Owner: the host's own blobs (azure-webjobs-hosts, azure-webjobs-secrets), the
  // timer's singleton lock, the database blob's lease and upload, and the app package in the
  // deployment container (Owner on the account includes what Storage Blob Data Contributor,
  // ba92f5b4-2d11-453d-a403-e96b0029c9fe, would grant on that one container, so no separate grant).
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Storage Queue Data Contributor: receive, update (release with a visibility delay), delete and
  // send messages, and create the poison queue. The documented Reader + Message Processor pair
  // cannot release a message or create a queue.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Monitoring Metrics Publisher: send telemetry to an Application Insights component whose local
  // authentication is disabled.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Storage Blob Data Reader: the operator downloads the database and its versions.
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  // Storage Queue Data Message Sender: the operator sends the manual backfill message.
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  // Storage Queue Data Reader: the operator peeks at the poison queue.
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
}

var appStorageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
]

var operatorStorageRoles = empty(operatorPrincipalId)
  ? []
  : [
      roleIds.storageBlobDataReader
      roleIds.storageQueueDataMessageSender
      roleIds.storageQueueDataReader
    ]

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(storageAccount.id, appPrincipalId, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      // Stated, so the assignment does not wait for the new identity to replicate in Entra ID.
      principalType: 'ServicePrincipal'
    }
  }
]

resource appMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.monitoringMetricsPublisher
    )
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in operatorStorageRoles: {
    name: guid(storageAccount.id, operatorPrincipalId, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: operatorPrincipalId
      principalType: operatorPrincipalType
    }
  }
]
