/**
 * What every page shares: the layout's model, the home page, error pages, and how times, figures and words are shown.
 */
package org.city311.console.web;
