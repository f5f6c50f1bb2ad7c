#!/usr/bin/env bash
# Metrics fixture for Bash. Values were worked out by hand.

# expect: check cc=4 cog=4 nest=1 params=0
check() {
    if [ -f "$1" ]; then
        echo file
    elif [ -d "$1" ]; then
        echo dir
    else
        echo none
    fi
    mkdir -p out && cd out
}

# expect: loop cc=4 cog=3 nest=2
function loop {
    for f in *.txt; do
        case "$f" in
            a*) echo a ;;
            b*) echo b ;;
            *) echo other ;;
        esac
    done
}
