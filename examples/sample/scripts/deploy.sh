#!/bin/bash
if [ -z "$1" ]; then
  echo "usage: deploy TARGET"
exit 1
