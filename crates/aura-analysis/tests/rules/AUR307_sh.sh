#!/bin/sh
curl -k https://example.com # want: AUR307
curl https://example.com
