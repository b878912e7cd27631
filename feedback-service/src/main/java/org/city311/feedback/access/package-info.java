/**
 * Who may do what with feedback: the service's security chain.
 */
package org.city311.feedback.access;
