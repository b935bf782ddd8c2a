#!/usr/bin/env bash
# Deploys (or updates) the stack in one region with the AWS CLI:
#
#   PUBSUB_ARTIFACT_BUCKET=my-artifacts eng/deploy.sh STACK REGION [Parameter=Value ...]
#
# 1. builds the functions' zips for the architecture (eng/package-lambda.sh; Architecture=x86_64 among
#    the parameters for x86_64, else arm64, on every run: the stack's previous value is not used),
# 2. checks that cloudformation/pubsub.template.json is up to date with pubsub.json, and lints it
#    (pubsub cfn lint, then cfn-lint when it is on PATH: eng/cfn-lint.sh),
# 3. uploads the zips to PUBSUB_ARTIFACT_BUCKET (a bucket in REGION that you create once:
#    aws s3 mb s3://my-artifacts --region REGION) under STACK/HASH/, a new key for new code,
# 4. 'aws cloudformation deploy' creates or updates the stack (CodeBucket, CodeKeyPrefix, Architecture).
#
# In a replica region pass the stream of the events table's replica there:
#   eng/deploy.sh pubsub eu-west-1 EventsTableStreamArn=$(aws dynamodb describe-table \
#       --region eu-west-1 --table-name pubsub-events --query 'Table.LatestStreamArn' --output text)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
stack=$1 region=$2
shift 2
: "${PUBSUB_ARTIFACT_BUCKET:?set PUBSUB_ARTIFACT_BUCKET to an S3 bucket in $region for the deployment artifacts}"

# The template names the zip by the Architecture parameter, so pass the one built here, always.
architecture=arm64
parameters=()
for parameter in "$@"; do
  case "$parameter" in
    Architecture=*) architecture=${parameter#Architecture=} ;;
    *) parameters+=("$parameter") ;;
  esac
done
case "$architecture" in
  arm64 | x86_64) ;;
  *) echo "Architecture must be arm64 or x86_64, not $architecture" >&2; exit 2 ;;
esac

built=$(eng/package-lambda.sh "$architecture")  # one zip path a line; a failed build stops here (set -e)
mapfile -t zips <<<"$built"
pubsub=(dotnet run --project PubSub.Cli --)
"${pubsub[@]}" cfn generate -o cloudformation/pubsub.template.json --check
"${pubsub[@]}" cfn lint cloudformation/pubsub.template.json
eng/cfn-lint.sh cloudformation/pubsub.template.json || [ $? -eq 77 ]

# Keys named by the zips' hash: CloudFormation updates a function's code only when its S3 key changes.
prefix="$stack/$(cat "${zips[@]}" | sha256sum | cut -c1-16)/"
for zip in "${zips[@]}"; do
  aws s3 cp --region "$region" --only-show-errors "$zip" "s3://$PUBSUB_ARTIFACT_BUCKET/$prefix$(basename "$zip")"
done
aws cloudformation deploy --region "$region" --stack-name "$stack" \
  --template-file cloudformation/pubsub.template.json \
  --s3-bucket "$PUBSUB_ARTIFACT_BUCKET" --s3-prefix "$stack" \
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
  --parameter-overrides "CodeBucket=$PUBSUB_ARTIFACT_BUCKET" "CodeKeyPrefix=$prefix" "Architecture=$architecture" \
  ${parameters[@]+"${parameters[@]}"}
aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
