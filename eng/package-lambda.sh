#!/usr/bin/env bash
# Builds the two Lambda deployment zips, each a Native AOT executable named bootstrap (Lambda's
# custom runtime, provided.al2023, x86_64) and the system definition:
#
#   eng/package-lambda.sh   -> artifacts/lambda/pubsub-ingestion-x86_64.zip
#                              artifacts/lambda/pubsub-stream-publisher-x86_64.zip
#
# The zips are reproducible: the same sources give the same bytes (fixed entry times and modes, fixed
# order, a deterministic compiler with paths mapped), so a hash tells whether a deploy changes code.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=x86_64
rid=linux-x64
out=artifacts/lambda
mkdir -p "$out"

for function in ingestion:PubSub.Ingestion.Lambda stream-publisher:PubSub.StreamPublisher.Lambda; do
  name=${function%%:*} project=${function#*:}
  publish="$out/publish-$name-$arch"
  rm -rf "$publish"
  dotnet publish "$project/$project.csproj" -c Release -r "$rid" -o "$publish" \
    -p:ContinuousIntegrationBuild=true -nologo -v q >&2
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
  echo "$name: bootstrap $(stat -c %s "$publish/$project") bytes, zip $(stat -c %s "$zip") bytes, sha256 $(sha256sum "$zip" | cut -c1-64)" >&2
  echo "$zip"
done
