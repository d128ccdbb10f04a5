// Log Analytics workspace and a workspace-based Application Insights component that accepts
// telemetry only from Microsoft Entra ID callers (local authentication, the instrumentation key
// alone, is disabled). The app's identity gets Monitoring Metrics Publisher on it (roles.bicep).

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Application Insights component name.')
output appInsightsName string = appInsights.name

@description('Application Insights connection string (not a secret: ingestion requires Entra ID).')
output connectionString string = appInsights.properties.ConnectionString
