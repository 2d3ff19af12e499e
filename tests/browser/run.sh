#!/usr/bin/env bash
# Browser and HTML-validity tests of the built site, in headless Chromium (Debian's chromium,
# driven by the pinned playwright-core; no browser downloads):
#   - the bundled site from file:// : search, checklists, axe WCAG A/AA in light and dark,
#     375 px layout, navigation, theme toggle, no-JS behaviour;
#   - the hostile fixture (page text that looks like HTML/script) for search escaping;
#   - the bundled site served by `wa-docs serve`;
#   - every generated page through the Nu HTML checker (vnu-jar; needs Java).
# Screenshots go to target/screenshots/.
#   tests/browser/run.sh                 # everything
#   tests/browser/run.sh search.spec.mjs # some specs only
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
site="$root/target/browser-site"
hostile="$root/target/browser-hostile"
shots="$root/target/screenshots"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "error: no chromium at $chromium (apt-get install -y chromium, or set CHROMIUM)" >&2
  exit 1
fi
started=$SECONDS
cargo build --release --locked --quiet
wa="$root/target/release/wa-docs"
rm -rf "$site" "$hostile"
"$wa" build . -q -d "$site"
"$wa" build tests/fixtures/hostile -q -d "$hostile"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

# A served copy for the HTTP test; stopped on exit.
serve_log=$(mktemp)
"$wa" serve . -p 0 >"$serve_log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "Serving" "$serve_log" && break
  sleep 0.1
done
serve_url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$serve_log" | head -1)

specs=()
if [ $# -gt 0 ]; then
  for spec in "$@"; do specs+=("tests/browser/$(basename "$spec")"); done
else
  specs=(tests/browser/*.spec.mjs)
fi
WA_SITE_DIR="$site" WA_HOSTILE_DIR="$hostile" WA_SERVE_URL="$serve_url" WA_SCREENSHOT_DIR="$shots" CHROMIUM="$chromium" \
  timeout 1200 node --test --test-timeout=420000 "${specs[@]}"

if [ $# -eq 0 ]; then
  pages=$(find "$site" -name '*.html' | sort)
  count=$(echo "$pages" | wc -l)
  echo "Nu HTML checker: $count pages"
  # shellcheck disable=SC2086
  timeout 600 java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --format gnu $pages
  echo "Nu HTML checker: $count pages, 0 errors"
fi
echo "browser tests took $((SECONDS - started)) s; screenshots:"
ls -1 "$shots" 2>/dev/null || true
