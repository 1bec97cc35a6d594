#!/usr/bin/env bash
# The README's test command: the whole build (unit and integration tests, formatting, lint,
# architecture rules, coverage) against real PostgreSQL, MariaDB and Redis.
#
#   scripts/test.sh                    # ./mvnw -B verify
#   scripts/test.sh -pl sdk-jdbc -am   # extra arguments go to Maven
#
# scripts/with-services.sh uses the servers already answering on 127.0.0.1, or installs and starts
# private throwaway ones, and stops what it started when Maven ends.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-services.sh ./mvnw -B verify "$@"
