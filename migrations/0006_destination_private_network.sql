-- Server-side request forgery protection (issue 21, item 3): the worker refuses to call private,
-- loopback and link-local addresses unless an operator allows them for one destination (an
-- on-premises CRM) or the deployment allows them (LEADRELAY_ALLOW_PRIVATE_NETWORKS=true).
ALTER TABLE destinations ADD COLUMN allow_private_network boolean NOT NULL DEFAULT false;
