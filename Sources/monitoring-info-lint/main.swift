print("monitoring-info-lint: not yet")
