/**
 * Who may do what with requests: the service's security chain and the rules on residents' personal data.
 */
package org.city311.request.access;
