#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ with the Bicep CLI from NuGet
# (Azure.Bicep.CommandLine.linux-x64; its version is pinned in infra/tools/BicepCli.proj), offline.
# Fails on any error and on any warning: infra/bicepconfig.json raises the linter rules to errors,
# and any diagnostic that still says "Warning" (compiler warnings such as BCP081 are not linter
# rules) fails the check too. Then checks the compiled templates for settings Flex Consumption
# rejects and for keys.
#
# scripts/test.sh runs it; alone: bash scripts/lib/bicep.sh
# Sourced, it defines bicep_exe ROOT (prints the CLI's path, fetching it if needed) and
# bicep_check ROOT (the whole check; returns non-zero on any finding).

bicep_exe() {
  local root=$1 proj version pkgroot exe
  if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
    echo "bicep: the NuGet package used here (Azure.Bicep.CommandLine.linux-x64) runs on Linux x64 only" >&2
    return 1
  fi
  proj="$root/infra/tools/BicepCli.proj"
  version=$(sed -n 's:.*<BicepVersion>\(.*\)</BicepVersion>.*:\1:p' "$proj")
  if [ -z "$version" ]; then
    echo "bicep: no <BicepVersion> in $proj" >&2
    return 1
  fi
  # The global packages folder, as NuGet resolves it (NUGET_PACKAGES, then NuGet.Config, then ~/.nuget/packages).
  pkgroot=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')}
  exe="${pkgroot%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [ ! -f "$exe" ]; then
    echo "bicep: fetching Azure.Bicep.CommandLine.linux-x64 $version from NuGet..." >&2
    dotnet restore "$proj" --nologo -v quiet >&2 || return 1
  fi
  if [ ! -f "$exe" ]; then
    echo "bicep: restore finished but $exe is missing" >&2
    return 1
  fi
  [ -x "$exe" ] || chmod +x "$exe"
  printf '%s\n' "$exe"
}

# Runs one Bicep CLI command; prints its diagnostics; fails if it failed or said "Warning".
_bicep_run() {
  local log=$1 rc=0
  shift
  "$@" >"$log" 2>&1 || rc=$?
  cat "$log" >&2
  if [ "$rc" -ne 0 ]; then return "$rc"; fi
  if grep -q 'Warning' "$log"; then return 1; fi
  return 0
}

bicep_check() {
  local root=$1 exe work status=0 canary_rc=0 forbidden
  exe=$(bicep_exe "$root") || return 1
  # The CLI is a self-contained .NET program: no telemetry, no ICU needed, no module registry
  # (--no-restore: the templates use only built-in resource types).
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
  work=$(mktemp -d -t blofin-bicep.XXXXXX)
  echo "Bicep $(basename "$(dirname "$(dirname "$exe")")"): building and linting infra/" >&2

  (
    cd "$root" || exit 1
    _bicep_run "$work/build.log" "$exe" build --no-restore --pattern 'infra/**/*.bicep' --outdir "$work/templates" || exit 1
    _bicep_run "$work/params.log" "$exe" build-params --no-restore --pattern 'infra/**/*.bicepparam' --outdir "$work/params" || exit 1
    _bicep_run "$work/lint.log" "$exe" lint --no-restore --pattern 'infra/**/*.bicep' || exit 1
  ) || status=1

  # The compiled templates: none of the settings Flex Consumption rejects or ignores, and no keys.
  if [ "$status" -eq 0 ]; then
    for forbidden in FUNCTIONS_WORKER_RUNTIME FUNCTIONS_EXTENSION_VERSION WEBSITE_RUN_FROM_PACKAGE \
      WEBSITE_CONTENTSHARE WEBSITE_CONTENTAZUREFILECONNECTIONSTRING WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT \
      SCM_DO_BUILD_DURING_DEPLOYMENT alwaysOn linuxFxVersion AccountKey listKeys InstrumentationKey=; do
      if grep -rlF -- "$forbidden" "$work/templates" >&2; then
        echo "bicep: the compiled template above contains '$forbidden'" >&2
        status=1
      fi
    done
  fi

  # Canary: prove the gate can fail. An unused parameter must be an error under our bicepconfig,
  # and a compiler warning (an API version without types) must be caught by the "Warning" check.
  mkdir -p "$work/canary"
  cp "$root/infra/bicepconfig.json" "$work/canary/"
  printf '%s\n' "@description('x')" 'param unused string' >"$work/canary/lint.bicep"
  printf '%s\n' "resource s 'Microsoft.Web/sites@2099-01-01' existing = {" "  name: 'canary'" '}' \
    "@description('x')" 'output id string = s.id' >"$work/canary/warning.bicep"
  "$exe" build --no-restore --pattern "$work/canary/*.bicep" --outdir "$work/canary/out" >"$work/canary.log" 2>&1 || canary_rc=$?
  if [ "$canary_rc" -eq 0 ] || ! grep -q 'lint.bicep([0-9,]*) : Error no-unused-params' "$work/canary.log" \
    || ! grep -q 'warning.bicep([0-9,]*) : Warning BCP081' "$work/canary.log"; then
    echo "bicep: the canary templates did not fail as expected (exit $canary_rc); the gate would miss findings:" >&2
    cat "$work/canary.log" >&2
    status=1
  fi

  rm -rf "$work"
  if [ "$status" -eq 0 ]; then
    echo "Bicep: every template builds and lints with no warnings" >&2
  else
    echo "Bicep: FAILED (errors or warnings above)" >&2
  fi
  return "$status"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  bicep_check "$(cd "$(dirname "$0")/../.." && pwd)"
fi
