<?php
if ($a == null) {} // want: AUR206
if ($a === null) {}
if ($a == 0) {}
