"""What operators see of a running process: Prometheus metrics (`metrics.py`) and the logs (`logs.py`)."""
