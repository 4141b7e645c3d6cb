-- AlterTable
ALTER TABLE "transaction" ADD COLUMN     "source_system" TEXT NOT NULL DEFAULT 'CORE';

-- AlterTable
ALTER TABLE "import_batch" ADD COLUMN     "batch_key" TEXT,
ADD COLUMN     "duplicate_of_id" TEXT,
ADD COLUMN     "file_size" INTEGER,
ADD COLUMN     "started_at" TIMESTAMPTZ(3),
ADD COLUMN     "stats" JSONB;

-- AlterTable
ALTER TABLE "source_record" ADD COLUMN     "cert_type" TEXT,
ADD COLUMN     "org_unit_code" TEXT;

-- CreateTable
CREATE TABLE "import_row_error" (
    "id" BIGSERIAL NOT NULL,
    "batch_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "field" TEXT,
    "code" TEXT NOT NULL,
    "params" JSONB,

    CONSTRAINT "import_row_error_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_file" (
    "batch_id" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "import_file_pkey" PRIMARY KEY ("batch_id")
);

-- CreateIndex
CREATE INDEX "import_row_error_batch_id_line_idx" ON "import_row_error"("batch_id", "line");

-- CreateIndex
CREATE INDEX "import_batch_org_unit_id_created_at_idx" ON "import_batch"("org_unit_id", "created_at");

-- AddForeignKey
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "import_batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_error" ADD CONSTRAINT "import_row_error_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_file" ADD CONSTRAINT "import_file_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

