"""Secret and personal-data detectors as data, shared by kb new and the secrets check."""
