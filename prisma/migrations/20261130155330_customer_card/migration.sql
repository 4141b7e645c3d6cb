-- CreateTable
-- Export-ready debit card numbers (see prisma/sql/095_customer_card.sql, which installs the
-- triggers on `account` that fill and maintain it, and fills it once when they are installed).
-- The key carries the card number (INCLUDE), so the export's merge join reads the index only.
CREATE TABLE "customer_card" (
    "customer_id" INTEGER NOT NULL,
    "card_no" TEXT NOT NULL,

    CONSTRAINT "customer_card_pkey" PRIMARY KEY ("customer_id") INCLUDE ("card_no")
);
