-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrgLevel" AS ENUM ('HEAD_OFFICE', 'BRANCH', 'SUB_BRANCH');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'MARKETING_MANAGER', 'ANALYST', 'APPROVER', 'BRANCH_MANAGER', 'RM');

-- CreateEnum
CREATE TYPE "CustomerType" AS ENUM ('RETAIL', 'CORPORATE');

-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('ACTIVE', 'DORMANT', 'CLOSED');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('M', 'F', 'U');

-- CreateEnum
CREATE TYPE "ContactKind" AS ENUM ('MOBILE', 'EMAIL', 'WECHAT_OPENID', 'ADDRESS');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('C1', 'C2', 'C3', 'C4', 'C5');

-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('MARKETING', 'SERVICE');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('SMS', 'CALL', 'APP_PUSH', 'WECHAT', 'EMAIL', 'RM_TASK');

-- CreateEnum
CREATE TYPE "RestrictionKind" AS ENUM ('DO_NOT_DISTURB', 'COMPLAINT');

-- CreateEnum
CREATE TYPE "ProductCategory" AS ENUM ('DEMAND_DEPOSIT', 'TIME_DEPOSIT', 'WEALTH', 'FUND', 'INSURANCE', 'PRECIOUS_METAL', 'LOAN', 'CREDIT_CARD');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('ACTIVE', 'DORMANT', 'CLOSED');

-- CreateEnum
CREATE TYPE "HoldingStatus" AS ENUM ('ACTIVE', 'MATURED', 'REDEEMED');

-- CreateEnum
CREATE TYPE "TxnType" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT', 'PAYROLL', 'CARD_SPEND', 'PURCHASE', 'REDEMPTION', 'LOAN_REPAYMENT', 'ETC_TOLL', 'INTEREST', 'FEE');

-- CreateEnum
CREATE TYPE "TxnChannel" AS ENUM ('BRANCH', 'MOBILE', 'ONLINE', 'ATM', 'POS');

-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('CUSTOMERS', 'ACCOUNTS', 'HOLDINGS', 'TRANSACTIONS');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('PENDING', 'VALIDATING', 'APPLYING', 'APPLIED', 'REJECTED', 'FAILED', 'DUPLICATE');

-- CreateEnum
CREATE TYPE "MatchRule" AS ENUM ('NEW', 'SOURCE_KEY', 'CERT_NO', 'PHONE', 'MANUAL_SPLIT');

-- CreateTable
CREATE TABLE "org_unit" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "level" "OrgLevel" NOT NULL,
    "parent_id" TEXT,
    "path" TEXT NOT NULL,
    "region" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "org_unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "username" TEXT,
    "display_username" TEXT,
    "role" "Role" NOT NULL DEFAULT 'RM',
    "org_unit_id" TEXT NOT NULL,
    "employee_no" TEXT,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_session" (
    "id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_account" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMPTZ(3),
    "refresh_token_expires_at" TIMESTAMPTZ(3),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_rate_limit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "last_request" BIGINT NOT NULL,

    CONSTRAINT "auth_rate_limit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "org_unit_id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "actor_role" TEXT,
    "org_unit_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "reason" TEXT,
    "ip" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "customer_no" TEXT NOT NULL,
    "type" "CustomerType" NOT NULL DEFAULT 'RETAIL',
    "name" TEXT NOT NULL,
    "gender" "Gender" NOT NULL DEFAULT 'U',
    "birth_date" DATE,
    "cert_type" TEXT NOT NULL DEFAULT 'ID_CARD',
    "cert_no" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "province" TEXT,
    "city" TEXT,
    "occupation" TEXT,
    "org_unit_id" TEXT NOT NULL,
    "org_path" TEXT NOT NULL,
    "rm_id" TEXT,
    "status" "CustomerStatus" NOT NULL DEFAULT 'ACTIVE',
    "time_zone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "opened_at" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_document" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "doc_type" TEXT NOT NULL,
    "doc_no" TEXT NOT NULL,
    "issued_at" DATE,
    "expires_at" DATE,
    "primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "identity_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_point" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" "ContactKind" NOT NULL,
    "value" TEXT NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT,

    CONSTRAINT "contact_point_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_assessment" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "level" "RiskLevel" NOT NULL,
    "assessed_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'BRANCH',

    CONSTRAINT "risk_assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "channel" "Channel" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'BRANCH',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_restriction" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" "RestrictionKind" NOT NULL,
    "channel" "Channel",
    "reason" TEXT,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),

    CONSTRAINT "contact_restriction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "category" "ProductCategory" NOT NULL,
    "risk_level" INTEGER NOT NULL,
    "term_days" INTEGER,
    "expected_yield" DECIMAL(6,4),
    "min_amount" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "launched_at" DATE NOT NULL,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" BIGSERIAL NOT NULL,
    "account_no" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "product_id" INTEGER,
    "kind" "ProductCategory" NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "balance" DECIMAL(18,2) NOT NULL,
    "opened_at" DATE NOT NULL,
    "maturity_date" DATE,
    "status" "AccountStatus" NOT NULL DEFAULT 'ACTIVE',
    "source_system" TEXT NOT NULL DEFAULT 'CORE',

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "holding" (
    "id" BIGSERIAL NOT NULL,
    "holding_no" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "opened_at" DATE NOT NULL,
    "maturity_date" DATE,
    "status" "HoldingStatus" NOT NULL DEFAULT 'ACTIVE',
    "source_system" TEXT NOT NULL DEFAULT 'WEALTH',

    CONSTRAINT "holding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monthly_balance" (
    "customer_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "aum" DECIMAL(18,2) NOT NULL,
    "deposit" DECIMAL(18,2) NOT NULL,
    "wealth" DECIMAL(18,2) NOT NULL,
    "loan" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "monthly_balance_pkey" PRIMARY KEY ("customer_id","month")
);

-- CreateTable
CREATE TABLE "transaction" (
    "id" BIGSERIAL NOT NULL,
    "txn_no" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "account_no" TEXT,
    "product_id" INTEGER,
    "txn_time" TIMESTAMPTZ(3) NOT NULL,
    "type" "TxnType" NOT NULL,
    "channel" "TxnChannel" NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "mcc" TEXT,

    CONSTRAINT "transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_event" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "event_type" TEXT NOT NULL,
    "product_id" INTEGER,
    "attributes" JSONB,

    CONSTRAINT "app_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_batch" (
    "id" TEXT NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "source_system" TEXT NOT NULL,
    "file_name" TEXT,
    "content_hash" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'PENDING',
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "applied_rows" INTEGER NOT NULL DEFAULT 0,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB,
    "created_by_id" TEXT,
    "api_key_id" TEXT,
    "org_unit_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_record" (
    "id" TEXT NOT NULL,
    "source_system" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "match_rule" "MatchRule" NOT NULL,
    "name" TEXT,
    "cert_no" TEXT,
    "cert_no_norm" TEXT,
    "phone" TEXT,
    "phone_norm" TEXT,
    "email" TEXT,
    "birth_date" TEXT,
    "gender" TEXT,
    "import_batch_id" TEXT,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_merge" (
    "id" TEXT NOT NULL,
    "source_record_id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "rule" "MatchRule" NOT NULL,
    "matched_value" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reversed_at" TIMESTAMPTZ(3),
    "reversed_by_id" TEXT,
    "split_customer_id" INTEGER,

    CONSTRAINT "identity_merge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "org_unit_code_key" ON "org_unit"("code");

-- CreateIndex
CREATE UNIQUE INDEX "org_unit_path_key" ON "org_unit"("path");

-- CreateIndex
CREATE UNIQUE INDEX "staff_user_email_key" ON "staff_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "staff_user_username_key" ON "staff_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "staff_user_employee_no_key" ON "staff_user"("employee_no");

-- CreateIndex
CREATE INDEX "staff_user_org_unit_id_idx" ON "staff_user"("org_unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "auth_session_token_key" ON "auth_session"("token");

-- CreateIndex
CREATE INDEX "auth_session_user_id_idx" ON "auth_session"("user_id");

-- CreateIndex
CREATE INDEX "auth_account_user_id_idx" ON "auth_account"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "auth_rate_limit_key_key" ON "auth_rate_limit"("key");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_secret_hash_key" ON "api_key"("secret_hash");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "customer_customer_no_key" ON "customer"("customer_no");

-- CreateIndex
CREATE INDEX "customer_org_path_idx" ON "customer"("org_path" text_pattern_ops);

-- CreateIndex
CREATE INDEX "customer_rm_id_idx" ON "customer"("rm_id");

-- CreateIndex
CREATE INDEX "customer_cert_no_idx" ON "customer"("cert_no");

-- CreateIndex
CREATE INDEX "customer_phone_idx" ON "customer"("phone");

-- CreateIndex
CREATE INDEX "identity_document_customer_id_idx" ON "identity_document"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "identity_document_doc_type_doc_no_key" ON "identity_document"("doc_type", "doc_no");

-- CreateIndex
CREATE UNIQUE INDEX "contact_point_customer_id_kind_value_key" ON "contact_point"("customer_id", "kind", "value");

-- CreateIndex
CREATE INDEX "risk_assessment_customer_id_assessed_at_idx" ON "risk_assessment"("customer_id", "assessed_at");

-- CreateIndex
CREATE UNIQUE INDEX "consent_customer_id_purpose_channel_key" ON "consent"("customer_id", "purpose", "channel");

-- CreateIndex
CREATE INDEX "contact_restriction_customer_id_idx" ON "contact_restriction"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "product_code_key" ON "product"("code");

-- CreateIndex
CREATE UNIQUE INDEX "account_account_no_key" ON "account"("account_no");

-- CreateIndex
CREATE INDEX "account_customer_id_idx" ON "account"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "holding_holding_no_key" ON "holding"("holding_no");

-- CreateIndex
CREATE INDEX "holding_customer_id_idx" ON "holding"("customer_id");

-- CreateIndex
CREATE INDEX "holding_maturity_date_idx" ON "holding"("maturity_date");

-- CreateIndex
CREATE UNIQUE INDEX "transaction_txn_no_key" ON "transaction"("txn_no");

-- CreateIndex
CREATE INDEX "transaction_customer_id_txn_time_idx" ON "transaction"("customer_id", "txn_time");

-- CreateIndex
CREATE INDEX "app_event_customer_id_event_time_idx" ON "app_event"("customer_id", "event_time");

-- CreateIndex
CREATE INDEX "import_batch_kind_source_system_content_hash_idx" ON "import_batch"("kind", "source_system", "content_hash");

-- CreateIndex
CREATE INDEX "source_record_customer_id_idx" ON "source_record"("customer_id");

-- CreateIndex
CREATE INDEX "source_record_cert_no_norm_idx" ON "source_record"("cert_no_norm");

-- CreateIndex
CREATE INDEX "source_record_phone_norm_idx" ON "source_record"("phone_norm");

-- CreateIndex
CREATE UNIQUE INDEX "source_record_source_system_source_key_key" ON "source_record"("source_system", "source_key");

-- CreateIndex
CREATE INDEX "identity_merge_customer_id_idx" ON "identity_merge"("customer_id");

-- AddForeignKey
ALTER TABLE "org_unit" ADD CONSTRAINT "org_unit_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "org_unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth_session" ADD CONSTRAINT "auth_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth_account" ADD CONSTRAINT "auth_account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_rm_id_fkey" FOREIGN KEY ("rm_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_document" ADD CONSTRAINT "identity_document_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_point" ADD CONSTRAINT "contact_point_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent" ADD CONSTRAINT "consent_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_restriction" ADD CONSTRAINT "contact_restriction_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holding" ADD CONSTRAINT "holding_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holding" ADD CONSTRAINT "holding_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_balance" ADD CONSTRAINT "monthly_balance_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transaction" ADD CONSTRAINT "transaction_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_event" ADD CONSTRAINT "app_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_record" ADD CONSTRAINT "source_record_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_record" ADD CONSTRAINT "source_record_import_batch_id_fkey" FOREIGN KEY ("import_batch_id") REFERENCES "import_batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_merge" ADD CONSTRAINT "identity_merge_source_record_id_fkey" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


