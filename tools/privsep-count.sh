#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Rewrite the trusted-code table of doc/PRIVSEP.md (section 7) with the
# line counts of the tree as it is.
set -eu
cd "$(dirname "$0")/.."
count() { cat "$@" | wc -l | tr -d ' '; }
super=$(count supervisor/*.[ch])
coll=$(count collector/*.[ch])
common=$(count common/*.[ch])
policy=$(count policy/*.[ch])
fused=$(count fused/*.[ch])
total=$((super + coll + common + policy))
sed -i -E \
	-e "s/^\| \`supervisor\/\` \| [0-9A-Z]+ \|/| \`supervisor\/\` | $super |/" \
	-e "s/^\| \`collector\/\` \| [0-9A-Z]+ \|/| \`collector\/\` | $coll |/" \
	-e "s/^\| \`common\/\` \| [0-9A-Z]+ \|/| \`common\/\` | $common |/" \
	-e "s/^\| \`policy\/\` \| [0-9A-Z]+ \|/| \`policy\/\` | $policy |/" \
	-e "s/^Total trusted code: \*\*[0-9A-Z]+ lines\*\*/Total trusted code: **$total lines**/" \
	-e "s/front \(\`fused\/\*\.\[ch\]\`\) has [0-9A-Z]+ lines/front (\`fused\/*.[ch]\`) has $fused lines/" \
	doc/PRIVSEP.md
echo "trusted code: $total lines"
