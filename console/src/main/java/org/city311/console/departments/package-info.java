/**
 * The public department pages: services, standards and service levels, read under the console's own identity.
 */
package org.city311.console.departments;
