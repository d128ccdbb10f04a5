using Blofin.Backfill;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddBlofinBackfill(builder.Configuration);
await builder.Build().RunAsync();
