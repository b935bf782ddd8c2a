#!/usr/bin/env bash
# Builds the Lambda deployment zips, each a Native AOT executable named bootstrap (Lambda's custom
# runtime, provided.al2023) and the system definition, for one architecture or both:
#
#   eng/package-lambda.sh [all|x86_64|arm64]   (default all)
#     -> artifacts/lambda/pubsub-ingestion-ARCH.zip
#        artifacts/lambda/pubsub-stream-publisher-ARCH.zip
#        artifacts/lambda/pubsub-webhook-delivery-ARCH.zip
#
# arm64 (Graviton) is cross-compiled on an x64 machine: clang targets aarch64, lld links against
# Debian's arm64 libc (packages clang lld libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
# binutils-aarch64-linux-gnu; the last for the objcopy that strips the debug symbols).
#
# The zips are reproducible: the same sources give the same bytes (fixed entry times and modes, fixed
# order, a deterministic compiler with paths mapped), so a hash tells whether a deploy changes code.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-all}" in
  all) architectures=(x86_64 arm64) ;;
  x86_64 | arm64) architectures=("$1") ;;
  *) echo "usage: $0 [all|x86_64|arm64]" >&2; exit 2 ;;
esac
out=artifacts/lambda
mkdir -p "$out"

for arch in "${architectures[@]}"; do
  if [ "$arch" = arm64 ]; then
    rid=linux-arm64
    cross=(-p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy)
    [ "$(uname -m)" = aarch64 ] && cross=()
  else
    rid=linux-x64
    cross=()
  fi
  for function in ingestion:PubSub.Ingestion.Lambda stream-publisher:PubSub.StreamPublisher.Lambda \
      webhook-delivery:PubSub.WebhookDelivery.Lambda; do
    name=${function%%:*} project=${function#*:}
    started=$(date +%s)
    publish="$out/publish-$name-$arch"
    rm -rf "$publish"
    dotnet publish "$project/$project.csproj" -c Release -r "$rid" -o "$publish" \
      -p:ContinuousIntegrationBuild=true ${cross[@]+"${cross[@]}"} -nologo -v q >&2
    zip="$out/pubsub-$name-$arch.zip"
    python3 - "$publish/$project" pubsub.json "$zip" <<'PY'
import sys, zipfile
binary, definition, target = sys.argv[1:]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for path, name, mode in ((binary, "bootstrap", 0o755), (definition, "pubsub.json", 0o644)):
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 3  # Unix, so that Lambda honours the mode (bootstrap must be executable)
        with open(path, "rb") as source:
            archive.writestr(entry, source.read())
PY
    echo "$name-$arch: bootstrap $(stat -c %s "$publish/$project") bytes, zip $(stat -c %s "$zip") bytes, sha256 $(sha256sum "$zip" | cut -c1-64), $(( $(date +%s) - started )) s" >&2
    echo "$zip"
  done
done
