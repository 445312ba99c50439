"""CloudFormation and SAM templates (YAML or JSON): reading, the SAM expansion, intrinsic functions."""
