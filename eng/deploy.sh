#!/usr/bin/env bash
# Deploys (or updates) the stack in one region with the AWS CLI:
#
#   PUBSUB_ARTIFACT_BUCKET=my-artifacts eng/deploy.sh STACK REGION [Parameter=Value ...]
#
# 1. builds the functions' zip (eng/package-lambda.sh),
# 2. checks that cloudformation/pubsub.template.json is up to date with pubsub.json, and lints it
#    (pubsub cfn lint, then cfn-lint when it is on PATH: eng/cfn-lint.sh),
# 3. 'aws cloudformation package' uploads the zip to PUBSUB_ARTIFACT_BUCKET (a bucket in REGION that
#    you create once: aws s3 mb s3://my-artifacts --region REGION),
# 4. 'aws cloudformation deploy' creates or updates the stack.
#
# In a replica region pass the stream of the events table's replica there:
#   eng/deploy.sh pubsub eu-west-1 EventsTableStreamArn=$(aws dynamodb describe-table \
#       --region eu-west-1 --table-name pubsub-events --query 'Table.LatestStreamArn' --output text)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
stack=$1 region=$2
shift 2
: "${PUBSUB_ARTIFACT_BUCKET:?set PUBSUB_ARTIFACT_BUCKET to an S3 bucket in $region for the deployment artifacts}"

eng/package-lambda.sh >/dev/null
pubsub=(dotnet run --project PubSub.Cli --)
"${pubsub[@]}" cfn generate -o cloudformation/pubsub.template.json --check
"${pubsub[@]}" cfn lint cloudformation/pubsub.template.json
eng/cfn-lint.sh cloudformation/pubsub.template.json || [ $? -eq 77 ]

mkdir -p artifacts/cloudformation
aws cloudformation package --region "$region" \
  --template-file cloudformation/pubsub.template.json \
  --s3-bucket "$PUBSUB_ARTIFACT_BUCKET" --s3-prefix "$stack" \
  --use-json --output-template-file artifacts/cloudformation/packaged.template.json
aws cloudformation deploy --region "$region" --stack-name "$stack" \
  --template-file artifacts/cloudformation/packaged.template.json \
  --s3-bucket "$PUBSUB_ARTIFACT_BUCKET" --s3-prefix "$stack" \
  --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset \
  ${1:+--parameter-overrides "$@"}
aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
