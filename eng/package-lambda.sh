#!/usr/bin/env bash
# Builds the Lambda deployment zip: the Native AOT bootstrap (one executable serving both functions;
# each function's Handler picks "ingestion" or "stream-publisher") and the system definition.
#
#   eng/package-lambda.sh            -> artifacts/lambda/pubsub-functions-x86_64.zip
#
# The zip is reproducible: the same sources give the same bytes (fixed entry times and modes, fixed
# order, a deterministic compiler with paths mapped), so its hash tells whether a deploy changes code.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=x86_64
rid=linux-x64
out=artifacts/lambda
publish="$out/publish-$arch"

rm -rf "$publish"
dotnet publish PubSub.Functions/PubSub.Functions.csproj -c Release -r "$rid" -o "$publish" \
  -p:ContinuousIntegrationBuild=true -nologo -v q >&2

zip="$out/pubsub-functions-$arch.zip"
python3 - "$publish/bootstrap" pubsub.json "$zip" <<'PY'
import sys, zipfile
bootstrap, definition, target = sys.argv[1:]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for path, name, mode in ((bootstrap, "bootstrap", 0o755), (definition, "pubsub.json", 0o644)):
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 3  # Unix, so that Lambda honours the mode (bootstrap must be executable)
        with open(path, "rb") as source:
            archive.writestr(entry, source.read())
PY
size=$(stat -c %s "$publish/bootstrap")
echo "bootstrap: $size bytes; $(sha256sum "$zip" | cut -c1-64)  $zip" >&2
echo "$zip"
