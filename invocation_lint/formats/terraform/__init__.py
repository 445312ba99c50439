"""Terraform: HCL and JSON configurations, modules, plan and state JSON."""
