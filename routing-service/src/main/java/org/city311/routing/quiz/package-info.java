/**
 * The staff knowledge check: questions generated from the catalog in force, answers, scores and their shares per
 * department (personal scores shown only to the person and their supervisor).
 */
package org.city311.routing.quiz;
