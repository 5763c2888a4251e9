Profile: monitoring-info/main
Extends: debian/main
Enable-Tags-From-Check: monitoring-info
