<?php
function terminalMode() {
    $mode = shell_exec('stty -g');
    exec("stty -icanon");
    return $mode;
}
