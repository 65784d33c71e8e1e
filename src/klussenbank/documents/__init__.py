"""Documents people open in an ordinary viewer (PDF), such as the secondment agreement.

Like cards/, an adapter: it turns a view model into output and knows nothing of Teams or storage.
"""

from klussenbank.documents.agreement import render_agreement
from klussenbank.documents.track import render_track

__all__ = ["render_agreement", "render_track"]
