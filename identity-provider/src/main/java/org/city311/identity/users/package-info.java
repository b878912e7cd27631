/**
 * Who may sign in: one user per role, and an agent and a supervisor per department of the catalog, with the
 * subjects DevTokens uses; their passwords are made at the first start and kept in the users file.
 */
package org.city311.identity.users;
