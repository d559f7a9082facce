#!/usr/bin/env bash
# Runs a load harness in its own JVM: SubmitAnswerLoad by default, or the class named first (e.g.
# `run.sh CommunityFeedLoad --rate=300`, `run.sh DashboardLoad --scenario=all`); the other arguments go to the
# harness (see README.md).
# A small heap and the serial collector keep the generator's own pauses and CPU low: it shares the machine's
# cores with the stack it measures.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/scripts/java-home.sh"
if [ ! -f "$HERE/target/classpath.txt" ] || [ ! -d "$HERE/target/classes" ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl benchmarks/load-harness -am -DskipTests install)
fi
MAIN=SubmitAnswerLoad
case "${1:-}" in
  [A-Z]*) MAIN="$1"; shift ;;
esac
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m --enable-native-access=ALL-UNNAMED \
  -cp "$HERE/target/classes:$(cat "$HERE/target/classpath.txt")" "io.pawfiler.benchmarks.$MAIN" "$@"
