<?php
// Metrics fixture for PHP. Values were worked out by hand.

// expect: pick cc=3 cog=3 nest=1 params=1 exits=3
function pick($x) {
    if ($x > 0) {
        return 1;
    } elseif ($x < 0) {
        return -1;
    } else {
        return 0;
    }
}

class Repo {
    // expect: find cc=5 cog=4 nest=1 params=2 exits=1
    public function find(int $id, ?string $name = null) {
        foreach ($this->rows as $row) {
            $hit = $row->id === $id && ($name ?? '') !== '';
        }
        $label = match ($id) { 1 => 'one', default => 'many' };
        return $label;
    }
}

// expect: cases cc=3 cog=1 nest=1 exits=0
function cases($x) {
    switch ($x) {
        case 1:
        case 2:
            echo "small";
            break;
        default:
            echo "big";
    }
}

// Recursion: +1 once.
// expect: fact cc=2 cog=2 params=1 exits=2
function fact($n) {
    if ($n <= 1) {
        return 1;
    }
    return $n * fact($n - 1);
}
