#!/usr/bin/env bash
# Builds the seed corpus (fuzz/corpus/<target>/) from small excerpts of the public snapshots
# in ../shared/data: a few records of each, cut at record boundaries. Nothing of it is
# committed (corpus/ is ignored); run it before `cargo +nightly fuzz run <target>`.
set -euo pipefail
cd "$(dirname "$0")"
data=${ORBITSCOPE_SHARED_DATA:-../../shared/data}
[ -f "$data/SOURCES.md" ] || { echo "no shared data at $data" >&2; exit 1; }
gp=$data/celestrak-gp
seed() { mkdir -p "corpus/$1"; cat > "corpus/$1/$2"; }

head -n 9 "$gp/active_2026-08-22/active.tle" | seed tle active-3le
head -n 9 "$gp/stations_5formats_2020-12-15/stations.tle" | seed tle stations-crlf
head -c 1500 "$gp/stations_5formats_2020-12-15/stations.json" | sed 's/},{[^}]*$/}]/' | seed omm_json stations
head -n 4 "$gp/active_2026-08-22/active.csv" | seed omm_csv active
head -n 4 "$gp/stations_5formats_2020-12-15/stations.csv" | seed omm_csv stations
awk 'NR==1,/<\/omm>/' "$gp/stations_5formats_2020-12-15/stations.xml" | seed omm_xml stations
printf '</body></ndm>\n' >> corpus/omm_xml/stations
awk 'BEGIN{n=0} /CCSDS_OMM_VERS/{n++} n<=2' "$gp/stations_5formats_2020-12-15/stations.kvn" | seed omm_kvn stations
head -n 4 "$data/satcat/satcat_active_payloads_2026-08-22_celestrak-layout.csv" | seed satcat active
head -n 5 "$data/un-registration/gcat_psatcat_2025-04-07.tsv" | seed gcat psatcat
head -n 4 "$data/un-registration/unoosa_osoindex_registry_partial_2025.csv" | seed unoosa index
printf '%s' '{"found":2,"results":[{"values":{"object.internationalDesignator_s1":"2024-199*","object.nameOfSpaceObjectO_s1":"SAT 1","object.launch.stateOfRegistry_s1":"France","object.unRegistration.unRegistered_s1":"T","object.unRegistration.registrationDocuments.document..document.symbol_s":["ST/SG/SER.E/900"]}},{"values":"broken"}]}' | seed un_index_page page
printf '%s' '{"format":"orbitscope-un-register/1","source":"s","full_pass_at":"2026-08-20T10:00:00Z","updated_at":"2026-08-22T10:00:00Z","found":1,"entries":[{"cospar_id":"2025-206B","name":"(GLONASS)","state_of_registry":"Russian Federation","registered":true,"documents":["ST/SG/SER.E/1309"]}]}' | seed un_register register
for scenario in ../assets/scenarios/*.json; do seed scenario "$(basename "$scenario" .json)" < "$scenario"; done
printf '%s' '{"url":"https://celestrak.org/pub/satcat.csv","fetched_at":"2026-08-22T12:00:00Z","checked_at":"2026-08-22T12:00:00Z","etag":"\"v1\"","length":5,"hash":"a430d84680aabd0b","stopped":{"status":429,"message":"HTTP 429","at":"2026-08-22T14:00:00Z"}}hello' | seed sidecar sidecar-and-data
ls -R corpus | head -40
