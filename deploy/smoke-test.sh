#!/usr/bin/env bash
# End-to-end smoke test of deploy/docker-compose.yml (see deploy/README.md#smoke-test): builds the
# jars and the local base images if missing, brings the stack up under a project name of its own on
# a free port, sends and receives through HAProxy, kills a push container and resumes on the other,
# stops the other gracefully (1012) and resumes again, then tears everything down.
# Needs root (debootstrap, first run only), a Docker daemon, and docker compose or docker-compose.
# The same test (ComposeSmokeIT) runs in `mvn -B verify` whenever a Docker daemon answers.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f ingest-service/target/ingest-service.jar || ! -f push-service/target/push-service.jar ]]; then
  mvn -B -q package -DskipTests
fi
deploy/base-images.sh
exec mvn -B verify -pl deploy-tests -am -Dit.test=ComposeSmokeIT -Dtest='NoSuch*' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
