"""What the use cases need from the outside world, by kind: records, repositories, delivery, the
directory and renderers; Protocols the adapters implement."""
