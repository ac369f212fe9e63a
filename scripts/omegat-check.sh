#!/usr/bin/env bash
# Proves that OmegaT (Debian package `omegat`, 3.6) loads what npfterm exports.
# Not part of CI: it installs a Java application and takes a few seconds.
#
#   scripts/omegat-check.sh [SEED]        (default: corpora/npf-xi-2024-01-31.txt)
#
# 1. Aligns SEED into a TMX and puts it in a fresh OmegaT project's tm/auto/;
#    the project's source file is the Chinese side, one bead per paragraph
#    (from --format moses).
# 2. Runs OmegaT headless in console-translate mode; a TMX in tm/auto/ is
#    applied on load, so every paragraph of the translated target file must be
#    the English npfterm aligned with it.  The project segments by paragraph:
#    a bead may hold two Chinese sentences (a 2-1 bead), which OmegaT's sentence
#    segmentation would split into segments no unit matches.  A second run with
#    the shared project as it is (sentence segmentation) shows how many match
#    there, for information.
# 3. Writes every term pair `npfterm terms` finds in SEED as an OmegaT glossary (TSV) and a TBX into
#    glossary/ and reads both with OmegaT's own glossary readers
#    (GlossaryReaderTSV, GlossaryReaderTBX): console mode does not load
#    glossaries, so a ten-line Java program calls the readers directly.
#
# 4. MAC-Dev document 001 (literary, 295 Chinese sentences, one per line), when ../shared/data/mac-dev
#    is there: aligned into a fresh store, exported with `export tm` (one unit per bead) and with
#    `export tm --units sentence` (beads with several Chinese sentences split into one unit per sentence),
#    each put in tm/auto/ of a project with sentence segmentation whose source file is 001's Chinese.
#    OmegaT's own project_stats.txt (written on save) gives the segments and those still untranslated;
#    the filled share is (total - remaining) / total.  The bar: >= 97 % with --units sentence.
#
# Exit status 0 only if OmegaT gave back every segment and every term, and filled >= 97 % of MAC-Dev 001.
# KEEP=1 keeps the project folder for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEED=$(realpath "${1:-$ROOT/corpora/npf-xi-2024-01-31.txt}")
SPEC=${NPFTERM_SPEC:-$ROOT/../shared/spec}
MACDEV=${NPFTERM_MACDEV:-$ROOT/../shared/data/mac-dev}
JAR=/usr/share/omegat/OmegaT.jar
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=python3

if [ ! -f "$JAR" ]; then
  echo "Installing the Debian package omegat ..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends omegat >/dev/null
fi
[ -f "$SPEC/examples/omegat.project" ] || { echo "missing $SPEC/examples/omegat.project" >&2; exit 2; }

WORK=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "Project kept in $WORK/project"; else trap 'rm -rf "$WORK"' EXIT; fi
PROJECT=$WORK/project
export NPFTERM_DB="$WORK/npfterm.sqlite"  # never touch the user's own store
mkdir -p "$PROJECT"/{source,target,tm/auto,glossary,dictionary,omegat}
sed 's|<sentence_seg>true</sentence_seg>|<sentence_seg>false</sentence_seg>|' \
  "$SPEC/examples/omegat.project" >"$PROJECT/omegat.project"

# --- 1. what npfterm exports ---------------------------------------------------
"$PY" -m npfterm align "$SEED" --mode lexical --format tmx -o "$PROJECT/tm/auto/npfterm.tmx" 2>/dev/null
"$PY" -m npfterm align "$SEED" --mode lexical --format moses -o "$WORK/seed" 2>/dev/null
sed 's/$/\n/' "$WORK/seed.zh" >"$PROJECT/source/article.txt"  # a blank line ends each paragraph
for fmt in omegat:npfterm.txt tbx:npfterm.tbx; do  # every term pair npfterm finds in SEED
  "$PY" -m npfterm terms "$SEED" --no-store --format "${fmt%%:*}" -o "$PROJECT/glossary/${fmt#*:}" 2>/dev/null
done

# --- 2. OmegaT applies the TMX ------------------------------------------------
translate() {  # PROJECT_DIR: run OmegaT; print how many target paragraphs are our English
  rm -rf "$1/target"/* "$1/omegat"/*
  java -Djava.awt.headless=true -Duser.home="$WORK/home" -jar "$JAR" "$1" \
    --mode=console-translate --disable-project-locking --no-team >"$WORK/omegat.log" 2>&1 \
    || { cat "$WORK/omegat.log" >&2; echo "OmegaT failed" >&2; exit 1; }
  grep -v '^$' "$1/target/article.txt" | paste -d '\n' "$WORK/seed.en" - \
    | awk 'NR % 2 { en = $0; next } $0 == en { n++ } END { print n + 0 }'
}
units=$(wc -l <"$WORK/seed.en")
same=$(translate "$PROJECT")
grep -E "TMXR_INFO_(CREATION_TOOL|SOURCE_LANG)|Reading TMX|error|Exception" "$WORK/omegat.log" | sed 's/^[0-9]*: /  omegat: /' || true
echo "TMX: OmegaT's target file has our English in $same of $units paragraphs (paragraph segmentation)"
echo "  first: $(head -c 160 "$PROJECT/target/article.txt")..."
cp -r "$PROJECT" "$WORK/sentences"
cp "$SPEC/examples/omegat.project" "$WORK/sentences/omegat.project"
echo "  for information, the shared project as it is (sentence segmentation): $(translate "$WORK/sentences") of $units"

# --- 2b. MAC-Dev 001 with sentence segmentation: bead units vs --units sentence --------
filled_ok=1
if [ -f "$MACDEV/zh/001" ] && [ -f "$MACDEV/en/001" ]; then
  filled_ok=0
  MAC_DB="$WORK/mac.sqlite"
  "$PY" -m npfterm align --sentences "$MACDEV/zh/001" "$MACDEV/en/001" --db "$MAC_DB" -f beads -o "$WORK/mac.align" 2>/dev/null
  filled() {  # UNITS: OmegaT's filled share of 001's segments with our TMX exported with --units UNITS
    local dir="$WORK/mac-$1"
    mkdir -p "$dir"/{source,target,tm/auto,glossary,dictionary,omegat}
    cp "$SPEC/examples/omegat.project" "$dir/omegat.project"  # sentence_seg true
    cp "$MACDEV/zh/001" "$dir/source/001.txt"
    "$PY" -m npfterm export tm --units "$1" --db "$MAC_DB" -o "$dir/tm/auto/npfterm.tmx" 2>/dev/null
    java -Djava.awt.headless=true -Duser.home="$WORK/home" -jar "$JAR" "$dir" \
      --mode=console-translate --disable-project-locking --no-team >"$WORK/omegat-$1.log" 2>&1 \
      || { cat "$WORK/omegat-$1.log" >&2; echo "OmegaT failed" >&2; exit 1; }
    awk -F '\t' '$1 ~ /^Total:/ { t = $2 + 0 } $1 ~ /^Remaining:/ { r = $2 + 0 }
      END { printf "%d %d %.1f\n", t - r, t, t ? 100 * (t - r) / t : 0 }' "$dir/omegat/project_stats.txt"
  }
  read -r got total share <<<"$(filled bead)"
  echo "MAC-Dev 001, sentence segmentation, export tm: OmegaT filled $got of $total segments ($share %)"
  read -r got total share <<<"$(filled sentence)"
  echo "MAC-Dev 001, sentence segmentation, export tm --units sentence: OmegaT filled $got of $total segments ($share %)"
  awk -v s="$share" 'BEGIN { exit !(s >= 97) }' && filled_ok=1
else
  echo "MAC-Dev not found at $MACDEV; the sentence-segmentation case is skipped"
fi

# --- 3. OmegaT reads the glossaries -------------------------------------------
cat >"$WORK/GlossaryCheck.java" <<'EOF'
import java.io.File;
import org.omegat.core.Core;
import org.omegat.core.data.NotLoadedProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;
import org.omegat.util.ProjectFileStorage;

/** Prints file, source, target and comment of every entry OmegaT's own readers find. */
public class GlossaryCheck {
    public static void main(String[] args) throws Exception {
        final ProjectProperties props = ProjectFileStorage.loadProjectProperties(new File(args[0]));
        Core.setProject(new NotLoadedProject() {
            @Override public ProjectProperties getProjectProperties() { return props; }
        });
        for (int i = 1; i < args.length; i++) {
            File f = new File(args[i]);
            for (GlossaryEntry e : f.getName().endsWith(".tbx") ? GlossaryReaderTBX.read(f, false) : GlossaryReaderTSV.read(f, false)) {
                System.out.println(f.getName() + "\t" + e.getSrcText() + "\t" + e.getLocText() + "\t" + e.getCommentText().replace("\n", " / "));
            }
        }
    }
}
EOF
java -Djava.awt.headless=true -Duser.home="$WORK/home" -cp "$JAR" "$WORK/GlossaryCheck.java" "$PROJECT" \
  "$PROJECT/glossary/npfterm.txt" "$PROJECT/glossary/npfterm.tbx" >"$WORK/glossary.out" 2>"$WORK/glossary.err" \
  || { cat "$WORK/glossary.err" >&2; echo "OmegaT's glossary readers failed" >&2; exit 1; }
terms=$(wc -l <"$PROJECT/glossary/npfterm.txt")
ok=0
for name in npfterm.txt npfterm.tbx; do
  got=$(awk -F '\t' -v f="$name" '$1 == f { print $2 "\t" $3 }' "$WORK/glossary.out")
  want=$(cut -f1,2 "$PROJECT/glossary/npfterm.txt")
  if [ "$got" = "$want" ]; then
    echo "Glossary $name: OmegaT read all $terms term pairs"
    ok=$((ok + 1))
  else
    echo "Glossary $name: OmegaT read something else:" >&2
    diff <(echo "$want") <(echo "$got") >&2 || true
  fi
done
awk -F '\t' '{ print "  " $1 ": " $2 " = " $3 "  [" $4 "]" }' "$WORK/glossary.out" | head -6

[ "$same" -eq "$units" ] && [ "$units" -gt 0 ] && [ "$ok" -eq 2 ] && [ "$terms" -gt 0 ] && [ "$filled_ok" -eq 1 ] \
  && echo "OK" && exit 0
echo "FAILED" >&2
exit 1
