"""The lesson-5 worksheets, each defined once; see the modules of this package."""
