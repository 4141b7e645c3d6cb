-- Customer search (customer.search in packages/core/src/customer/search.ts): a name from its
-- start (surname first) and a phone's last four digits, each by its own index. Expression and
-- operator-class indexes live here because the search queries use them by exact expression.
CREATE INDEX IF NOT EXISTS customer_name_prefix ON customer (name text_pattern_ops);
CREATE INDEX IF NOT EXISTS customer_phone_tail ON customer (right(phone, 4));
