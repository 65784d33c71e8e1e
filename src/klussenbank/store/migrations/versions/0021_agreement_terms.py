"""an agreement's terms as agreed, from which its PDF is made when a party first opens it

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terms", sa.Text(), nullable=True))
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # The older schema needs every agreement's PDF: those not opened yet are made now.
    from klussenbank.documents import render_agreement
    from klussenbank.store.agreement_terms import terms_of

    agreements = sa.table(
        "agreements",
        sa.column("approval_id", sa.Integer),
        sa.column("language", sa.String),
        sa.column("terms", sa.Text),
        sa.column("pdf", sa.LargeBinary),
    )
    bind = op.get_bind()
    unmade = bind.execute(
        sa.select(agreements.c.approval_id, agreements.c.language, agreements.c.terms).where(
            agreements.c.pdf.is_(None)
        )
    ).all()
    for approval_id, language, terms in unmade:
        bind.execute(
            agreements.update()
            .where(agreements.c.approval_id == approval_id, agreements.c.language == language)
            .values(pdf=render_agreement(terms_of(terms)))
        )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("terms")
