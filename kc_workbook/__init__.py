"""kc_workbook: the reporting cycle of the Kirovo-Chepetsk municipal safety program.

The package is a library first; the ``kc-workbook`` CLI mirrors it. Importing the
package stays cheap: the heavy modules are imported by the functions that need them.
"""

__version__ = "0.1.0"
