<?php
function name($value) {
    assert(is_string($value));
    assert($value !== '');
    return $value;
}
