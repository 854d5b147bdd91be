#!/usr/bin/env bash
# Builds DeepClass's Fiji update site:
#   target/update-site/          plugins/DeepClass_-<version>.jar, jars/, jars/<platform>/, db.xml.gz
#   target/update-site-noavx2/   ND4J's generic Linux build, for CPUs without AVX2 (a second site)
#   target/update-site-fiji-jars.txt   Fiji's versions (pom-scijava) of the jars DeepClass takes from Fiji
# Every file is stored as <path>-<timestamp> with the updater's checksum in db.xml.gz.
# With --test it then downloads those Fiji jars from Maven Central and runs the site tests:
# layout and sizes, the installation from the file: site, and the Fiji-layout end-to-end run.
# DEEPCLASS_PUBLISHED_DB=<the published site's db.xml.gz> carries its history into the new index
# (earlier versions' checksums, files no longer shipped marked obsolete), for every release after
# the first. Upload: see docs/developers.md, "The update site".
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/test-classpath.txt
jar=$(ls target/DeepClass_-*.jar | grep -v -- '-gpu.jar' | head -1)
version=$(basename "$jar" .jar); version=${version#DeepClass_-}
java -cp "target/test-classes:$(cat target/test-classpath.txt)" io.deepclass.site.BuildUpdateSite \
  "$jar" "$version" target/runtime-classpath.txt target/update-site ${DEEPCLASS_PUBLISHED_DB:+"$DEEPCLASS_PUBLISHED_DB"}

if [ "${1:-}" = "--test" ]; then
  # Fiji's versions of the shared jars, from Maven Central (the Fiji-layout run uses them)
  repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  while IFS=: read -r group artifact version; do
    [ -f "$repo/${group//.//}/$artifact/$version/$artifact-$version.jar" ] ||
      mvn -B -q dependency:get -Dartifact="$group:$artifact:$version" -Dtransitive=false >/dev/null
  done < target/update-site-fiji-jars.txt
  mvn -B test -DskipGuiTests=true -Dtest.excludedGroups=gui,manual -Dgroups=site \
    -Ddeepclass.site="$PWD/target/update-site"
fi
