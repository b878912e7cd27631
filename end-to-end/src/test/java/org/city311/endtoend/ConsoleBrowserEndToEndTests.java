package org.city311.endtoend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's headless Chromium) against the whole platform: a call-taker files a
 * request for a resident by keyboard alone; the agent of the department it was routed to sees it arrive, accepts
 * and resolves it; the resident's survey says "not resolved"; the request is back in the queue, reopened; the
 * scorecard and the public department page show it. Then the rest of a department's day: hold and resume, a bulk
 * assignment, a coworker's internal request and its survey, a transfer; the administrator's catalog errors and
 * Open311 keys. Every page is checked with axe-core (no serious or critical violation) and photographed into
 * end-to-end/target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(EndToEndPlatform.Shared.class)
class ConsoleBrowserEndToEndTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = EndToEndPlatform.ROOT.resolve("end-to-end/target/screenshots");
    private static final Pattern REQUEST_NUMBER = Pattern.compile("311-\\d{8}");

    private static EndToEndPlatform platform;
    private static WebDriver browser;
    private static String requestId;
    private static String surveyLink;

    @BeforeAll
    static void start(EndToEndPlatform shared) throws Exception {
        // Required in CI (.ci/run installs them and sets CITY311_REQUIRE_BROWSER); elsewhere skipped without them.
        boolean browserInstalled = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (Boolean.parseBoolean(System.getenv("CITY311_REQUIRE_BROWSER"))) {
            assertThat(browserInstalled).as("Debian's chromium and chromium-driver (apt-get install chromium "
                    + "chromium-driver)").isTrue();
        }
        Assumptions.assumeTrue(browserInstalled, "Debian's chromium and chromium-driver are not installed");
        platform = shared;
        Files.createDirectories(SCREENSHOTS);
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void shouldLetACallTakerFileARequestForAResidentByKeyboardAlone() throws Exception {
        // given a call-taker who opens the console and signs in at the city's provider
        browser.get(platform.url("console") + "/call");
        signIn("STAFF_LOGIN");
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/call"));
        // the map draws the city's districts from the catalog (no tiles: nothing from outside the city's network)
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#map path.leaflet-interactive")));
        check("call-empty");

        // when they type the caller's words: focus starts in the search, Enter takes the first match
        WebElement search = browser.switchTo().activeElement();
        assertThat(search.getAttribute("id")).isEqualTo("directory-search");
        search.sendKeys("street light is dark");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("first-hit")));
        assertThat(browser.findElement(By.id("first-hit")).getText()).contains("Street Light Out",
                "Department of Transportation");
        search.sendKeys(Keys.ENTER);
        // the service's questions arrive and focus moves to the first one
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("attr-light-condition")));
        waitFor(driver -> "attr-pole-number".equals(driver.switchTo().activeElement().getAttribute("id")));
        WebElement focused = browser.switchTo().activeElement();
        focused.sendKeys("P-4471", Keys.TAB);
        // the required question, answered with the arrow keys
        browser.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        assertThat(browser.findElement(By.id("attr-light-condition")).getAttribute("value")).isEqualTo("out");
        browser.findElement(By.id("address")).sendKeys("120 Broadway");
        browser.findElement(By.id("latitude")).sendKeys("40.7085");
        browser.findElement(By.id("longitude")).sendKeys("-74.0107", Keys.TAB);
        browser.findElement(By.id("firstName")).sendKeys("Ada");
        browser.findElement(By.id("lastName")).sendKeys("Lovelace");
        browser.findElement(By.id("phone")).sendKeys("212 555 0142");
        browser.findElement(By.id("email")).sendKeys("ada@example.org");
        browser.findElement(By.id("consentToContact")).sendKeys(Keys.SPACE);
        browser.findElement(By.id("description")).sendKeys("The street light outside the entrance has been dark for three nights.");
        check("call-filled");
        // and files it with the keyboard: Enter on the button
        browser.findElement(By.id("file-request")).sendKeys(Keys.ENTER);

        // then the request number is read back at once, and its routing arrives live
        WebElement filed = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".filed .request-number")));
        requestId = filed.getText();
        assertThat(requestId).matches(REQUEST_NUMBER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".routing"), "Routed to"),
                Duration.ofSeconds(60));
        assertThat(browser.findElement(By.cssSelector(".routing")).getText()).contains("transportation", "due by");
        check("call-filed");

        // and "My filings" lists it where it now is
        browser.get(platform.url("console") + "/my");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("filings"), requestId));
        assertThat(browser.findElement(By.id("filings")).getText()).contains("transportation");
        check("my-filings");
    }

    @Test
    @Order(2)
    void shouldAddASecondCallerToTheOpenRequestInsteadOfFilingAgain() throws Exception {
        // given a second resident calling about the same light: the next call starts with an empty form
        browser.get(platform.url("console") + "/call");
        WebElement search = browser.switchTo().activeElement();
        search.sendKeys("street light out");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("first-hit")));
        search.sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("attr-light-condition")));
        // when the call-taker sets the point a few metres away
        browser.findElement(By.id("latitude")).sendKeys("40.70852");
        browser.findElement(By.id("longitude")).sendKeys("-74.01071", Keys.TAB);
        // then the open request is offered, with its description and status, before anything is filed
        WebElement candidates = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#nearby table")));
        assertThat(candidates.getText()).contains(requestId, "dark for three nights");
        browser.findElement(By.id("firstName")).sendKeys("Grace");
        browser.findElement(By.id("phone")).sendKeys("212 555 0199");
        check("call-duplicate");
        // and "this is the same" adds the caller to it instead
        candidates.findElement(By.xpath(".//button[contains(., '" + requestId + "')]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("call-step"), "Caller added to " + requestId));
        assertThat(browser.findElement(By.id("call-step")).getText()).contains("2 in all");
    }

    @Test
    @Order(3)
    void shouldLetTheRoutedDepartmentsAgentAcceptAndResolveIt() throws Exception {
        signOut();
        // given the agent of the department it was routed to
        browser.get(platform.url("console") + "/queue");
        signIn("AGENT_LOGIN_TRANSPORTATION");
        // when they look at their queue: the request has arrived, with what and where
        WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath(queueItem(requestId))));
        assertThat(row.getText()).contains("streetlight-out", "dark for three nights", "120 Broadway");
        check("queue");
        // accept it with the keyboard ("a" on the item), and resolve it from the actions the panel then shows
        acceptAndResolve(row, "Lamp replaced.", () -> assertThat(browser.findElement(By.cssSelector("#work-panel h2"))
                .getText()).contains("In progress"));
        check("queue-resolved");
    }

    @Test
    @Order(4)
    void shouldTakeTheResidentsNotResolvedOnTheSurveyPageAndReopenTheRequest() throws Exception {
        signOut();
        // given the call-taker, back on the phone with the resident, on the request's page
        browser.get(platform.url("console") + "/requests/" + requestId);
        signIn("STAFF_LOGIN");
        waitFor(ExpectedConditions.urlContains("/requests/" + requestId));
        // (the search finds it by the caller's phone: "has this caller reported before?", with its point on a map)
        browser.get(platform.url("console") + "/requests?phone=212+555+0142");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(requestId, "streetlight-out");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#map path.leaflet-interactive")));
        check("search");
        browser.get(platform.url("console") + "/requests/" + requestId);
        // the survey exists once feedback-service has heard of the resolution
        WebElement run = waitForReload(By.xpath("//button[contains(., 'Run the survey')]"), Duration.ofSeconds(60));
        // (each step in words, as staff say them: "Sent to the department", not "routed")
        assertThat(browser.findElement(By.cssSelector(".timeline")).getText()).contains("Received",
                "Sent to the department", "Taken on", "Resolved").doesNotContain("routed", "accepted");
        check("request-detail");
        run.click();
        WebElement link = waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#survey-run a")));
        surveyLink = link.getAttribute("href");
        assertThat(surveyLink).contains("/surveys/");

        // when the survey page (the link the resident got) answers "not resolved"
        browser.get(surveyLink);
        browser.findElement(By.id("satisfaction-2")).click();
        browser.findElement(By.id("resolved-no")).click();
        browser.findElement(By.id("comment")).sendKeys("Still dark tonight.");
        check("survey");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Thank you"));

        // then the request is reopened, in the department's queue again
        signOut();
        browser.get(platform.url("console") + "/queue");
        signIn("AGENT_LOGIN_TRANSPORTATION");
        WebElement row = waitForReload(By.xpath(queueItem(requestId) + "[contains(., 'Reopened')]"),
                Duration.ofSeconds(60));
        assertThat(row.getText()).contains("Reopened");
        check("queue-reopened");
    }

    @Test
    @Order(5)
    void shouldShowTheChangeOnTheScorecardAndThePublicDepartmentPage() throws Exception {
        // the scorecard counts the reopening (metrics-service folds the events; its answers are cached 30 s)
        WebElement reopened = waitForReload(By.xpath("//tr[th/a[text()='transportation']]/td[5][text()='1']"),
                Duration.ofSeconds(90), "/levels");
        assertThat(reopened.getText()).isEqualTo("1");
        // routed right the first time (no transfer), none misrouted at intake
        WebElement transportation = browser.findElement(By.xpath("//tr[th/a[text()='transportation']]"));
        assertThat(transportation.findElement(By.xpath("td[7]")).getText()).isEqualTo("100%");
        assertThat(transportation.findElement(By.xpath("td[8]")).getText()).isEqualTo("0");
        check("levels");
        // the goals read as people say them: "five days" is 5 days, not 432000 seconds; ratios are percentages;
        // the exact number stays in the figure's value (and its title, on hover)
        WebElement goals = browser.findElement(By.xpath("//section[h2[@id='goals-title']]"));
        WebElement potholes = goals.findElement(By.xpath(".//tr[td[contains(., 'street defects within five days')]]"));
        WebElement target = potholes.findElement(By.cssSelector("td:nth-child(4) data"));
        assertThat(target.getText()).isEqualTo("5 days");
        assertThat(target.getAttribute("value")).isEqualTo("432000");
        assertThat(target.getAttribute("title")).isEqualTo("432000 seconds");
        assertThat(goals.findElement(By.xpath(".//tr[td[contains(., 'nineteen in twenty')]]/td[4]")).getText())
                .isEqualTo("95%");
        assertThat(goals.getText()).doesNotContain("432000", "0.95", "ORIENTATION", "reopen-rate");
        scrollTo(goals);
        check("levels-goals");

        // and the public list of departments, without signing in, leads to each one's page
        signOut();
        browser.get(platform.url("console") + "/departments");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Department of Transportation",
                "Department of Parks and Recreation");
        check("departments");
        // the department page shows this month's figures and its services
        browser.findElement(By.partialLinkText("Department of Transportation")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/departments/transportation"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Transportation");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Street Light Out",
                "How we are doing this month", "Requests resolved");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Ada", "Lovelace", "0142");
        // where it is, when its door is open, and the hours its standards count
        assertThat(section("contact-title").getText()).contains("Municipal Building",
                "Monday to Friday, 8:00 to 17:00", "Monday 08:00–17:00", "Friday 08:00–17:00")
                .doesNotContain("Saturday 0");
        check("department");

        // and anyone can track the request by its number, without the resident's details
        browser.get(platform.url("console") + "/track");
        check("track-form");
        browser.findElement(By.id("id")).sendKeys(requestId, Keys.ENTER);
        waitFor(ExpectedConditions.urlContains("/track/" + requestId));
        // (the resolution's note was written to the resident: it is public; who worked it is not)
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(requestId, "Reopened",
                "Lamp replaced").doesNotContain("Lovelace", "ada@example.org", "agent.transportation");
        // in a resident's words: which department has it, not the rule that chose it, nor the services' codes
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Sent to Department of Transportation")
                .doesNotContain("rule:", "service-owner", "Routed to transportation", "put-on-hold", "in_progress");
        check("track");
    }

    @Test
    @Order(6)
    void shouldGiveTheDepartmentsSupervisorTheFollowUpOfTheUnhappyResident() throws Exception {
        signOut();
        browser.get(platform.url("console") + "/follow-ups");
        signIn("SUPERVISOR_LOGIN_TRANSPORTATION");
        // the "not resolved" answer with a 2 of 5 opened a follow-up for the department, with the resident's words
        WebElement followUp = waitForReload(By.xpath("//tr[td/a[text()='" + requestId + "']]"), Duration.ofSeconds(60));
        assertThat(followUp.getText()).contains("Still dark tonight.", "Open");
        // why, in the words a supervisor uses, not feedback-service's code
        assertThat(followUp.findElement(By.xpath("td[2]")).getText()).isEqualTo("Not resolved");
        assertThat(followUp.getText()).doesNotContain("not_resolved");
        check("follow-ups");
        // acknowledged by the supervisor, it says so
        followUp.findElement(By.xpath(".//button[text()='Acknowledge']")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(
                By.xpath("//tr[td/a[text()='" + requestId + "']]"), "Acknowledged"));

        // and an auditor, of no department, picks Transportation's and reads it without the resident's words
        signOut();
        browser.get(platform.url("console") + "/follow-ups");
        signIn("AUDITOR_LOGIN");
        new Select(waitFor(ExpectedConditions.presenceOfElementLocated(By.id("pick-department"))))
                .selectByValue("transportation");
        browser.findElement(By.xpath("//button[text()='Show its follow-ups']")).sendKeys(Keys.ENTER);
        WebElement audited = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tr[td/a[text()='" + requestId + "']]")));
        assertThat(audited.getText()).contains("Not resolved", "Acknowledged").doesNotContain("Still dark tonight.");
        check("follow-ups-auditor");
    }

    @Test
    @Order(7)
    void shouldLetAnAdministratorReadTheCatalogAndIssueAnOpen311Key() throws Exception {
        signOut();
        browser.get(platform.url("console") + "/admin");
        signIn("ADMIN_LOGIN");
        assertThat(browser.findElement(By.id("yaml")).getAttribute("value")).contains("departments:",
                "code: transportation");
        // the runaround per service, from metrics-service: no service of this run sends residents around
        assertThat(browser.findElement(By.xpath("//section[h2[@id='runaround-title']]")).getText())
                .contains("Services that send residents around", "None: no service had that many");
        browser.findElement(By.id("client-name")).sendKeys("Neighbourhood app", Keys.ENTER);
        WebElement issued = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#clients code")));
        assertThat(issued.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("clients")).getText()).contains("Neighbourhood app", "active");
        // the form is empty again: the next client cannot get a key under this one's name by mistake
        assertThat(browser.findElement(By.id("client-name")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.name("trustedIntegration")).isSelected()).isFalse();
        check("admin");
        // and it still works (htmx, not a full page): the next client's key, under its own name
        browser.findElement(By.id("client-name")).sendKeys("Block association", Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#clients [role=status]"),
                "Key for Block association"));
        assertThat(browser.findElement(By.id("client-name")).getAttribute("value")).isEmpty();
        assertThat(browser.getCurrentUrl()).isEqualTo(platform.url("console") + "/admin");
        // and a key is revoked after the browser's "are you sure?", the other left active
        browser.findElement(By.xpath("//div[@id='clients']//tr[td[text()='Block association']]//button[text()='Revoke']"))
                .sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.alertIsPresent()).accept();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.xpath(
                "//div[@id='clients']//tr[td[text()='Block association']]/td[4]"), "revoked"));
        assertThat(browser.findElement(By.xpath("//div[@id='clients']//tr[td[text()='Neighbourhood app']]/td[4]"))
                .getText()).isEqualTo("active");

        // when they change a service's department to one the catalog does not have, and save
        WebElement yaml = browser.findElement(By.id("yaml"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[0].value.replace("
                + "'department: transportation', 'department: transportaton');", yaml);
        browser.findElement(By.xpath("//button[text()='Save the catalog']")).sendKeys(Keys.ENTER);
        // then the error names the line; its button selects that line in the editor
        WebElement error = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "#catalog-result .error-summary")));
        assertThat(error.getText()).contains("unknown department 'transportaton'");
        WebElement line = error.findElement(By.cssSelector("button[data-line]"));
        assertThat(line.getText()).isEqualTo("Line " + line.getAttribute("data-line"));
        scrollTo(error);
        check("admin-catalog-error");
        line.sendKeys(Keys.ENTER);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("yaml");
        String selected = (String) ((JavascriptExecutor) browser).executeScript("var e = arguments[0]; "
                + "return e.value.substring(e.selectionStart, e.selectionEnd);", yaml);
        assertThat(selected.strip()).isEqualTo("department: transportaton");
        // and the catalog in force is the one before: requests still go to Transportation
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("yaml")).getAttribute("value")).contains("department: transportation")
                .doesNotContain("transportaton");
    }

    @Test
    @Order(8)
    void shouldShowAnotherDepartmentsAgentThatTheRequestIsNotTheirs() throws Exception {
        signOut();
        browser.get(platform.url("console") + "/requests/" + requestId);
        signIn("AGENT_LOGIN_PARKS");
        // the services refuse; the console says so in words, not with an error trace
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("That is not yours to see or change");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Lovelace", "120 Broadway");
        check("not-yours");
        // nor can they open Transportation's queue by changing the address: an agent's queue is their department's
        browser.get(platform.url("console") + "/queue?department=transportation");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Queue: parks");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(requestId);
        // and asking for that queue's items directly is refused by routing-service, and said so in words
        browser.get(platform.url("console") + "/queue/items?department=transportation");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("That is not yours to see or change");
        assertThat(browser.getPageSource()).doesNotContain(requestId);
    }

    @Test
    @Order(9)
    void shouldLetTheSupervisorPutTheReopenedRequestOnHoldAndResumeItByKeyboard() throws Exception {
        signOut();
        // given Transportation's supervisor, with the reopened request back in the department's queue
        browser.get(platform.url("console") + "/queue");
        signIn("SUPERVISOR_LOGIN_TRANSPORTATION");
        WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath(queueItem(requestId))));
        // when they open it with the keyboard ("o" on the item) and put it on hold, saying why, for staff only
        row.sendKeys("o");
        WebElement hold = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[@id='work-panel']//details[summary[text()='Put on hold']]")));
        hold.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        waitFor(driver -> hold.getAttribute("open") != null);
        hold.findElement(By.name("reason")).sendKeys("Waiting for the utility to cut the power");
        hold.findElement(By.name("visibility")).sendKeys(Keys.SPACE);
        hold.findElement(By.cssSelector("button[type=submit]")).sendKeys(Keys.ENTER);
        // then the panel says so and offers to resume, and the queue marks the item held
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Put on hold."));
        assertThat(browser.findElement(By.cssSelector("#work-panel h2")).getText()).contains(requestId, "On hold");
        check("queue-on-hold");
        // and when they resume it, the work goes on where it stood
        browser.findElement(By.xpath("//div[@id='work-panel']//button[text()='Resume']")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Work resumed."));
        assertThat(browser.findElement(By.cssSelector("#work-panel h2")).getText()).doesNotContain("On hold");
        // and the request's timeline shows staff the hold with its reason, once request-service has the events
        browser.get(platform.url("console") + "/requests/" + requestId);
        waitForReload(By.xpath("//*[contains(@class, 'timeline')][contains(., 'Waiting for the utility to cut the "
                + "power')]"), Duration.ofSeconds(30));
    }

    @Test
    @Order(10)
    void shouldRemindAnAgentOfTheirDueKnowledgeCheckMarkItAndShowTheirSupervisorTheScore() throws Exception {
        signOut();
        browser.get(platform.url("console") + "/queue");
        signIn("AGENT_LOGIN_TRANSPORTATION");
        // given an agent who never took the yearly check: every page reminds them
        WebElement reminder = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.reminder")));
        assertThat(reminder.getText()).contains("Your knowledge check is due");

        // when they follow it and start a check
        reminder.findElement(By.linkText("Take it now")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/quiz"));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("You have not taken a check yet.");
        check("quiz");
        int right = takeCheckAnsweringFirstChoices("quiz-questions");

        // then it is marked at once, every answer shown with its service card, wrong ones opened
        assertThat(browser.findElements(By.cssSelector("section.quiz-question.right"))).hasSize(right);
        assertThat(browser.findElements(By.cssSelector("section.quiz-question.wrong"))).hasSize(10 - right);
        assertThat(browser.findElements(By.cssSelector("section.quiz-question details summary")))
                .hasSize(10).allSatisfy(card -> assertThat(card.getText()).startsWith("Service card:"));
        browser.findElements(By.cssSelector("section.quiz-question.wrong")).forEach(wrong -> assertThat(
                wrong.getText()).contains("Your answer:", "The right answer:", "Handled by"));
        check("quiz-marked");
        // and the reminder is gone from their pages; their history lists the check
        browser.get(platform.url("console") + "/queue");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
        assertThat(browser.findElements(By.cssSelector("p.reminder"))).isEmpty();
        browser.get(platform.url("console") + "/quiz");
        assertThat(browser.findElement(By.id("history-title")).findElement(By.xpath("..")).getText())
                .contains(right + " of 10");

        // and their supervisor sees the score in the team's table, and which departments staff know
        signOut();
        browser.get(platform.url("console") + "/quiz");
        signIn("SUPERVISOR_LOGIN_TRANSPORTATION");
        WebElement team = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//section[h2[@id='team-title']]")));
        assertThat(team.getText()).contains("Agent, Department of Transportation", right + " of 10");
        assertThat(browser.findElement(By.xpath("//section[h2[@id='departments-title']]")).getText())
                .contains("Which departments staff know", "Share right");
        check("quiz-supervisor");
    }

    @Test
    @Order(11)
    void shouldTakeAStaffIdeaFromSubmittedToDoneWithItsAuthorToldAndCredited() throws Exception {
        // given a call-taker with an idea for parks
        signOut();
        browser.get(platform.url("console") + "/ideas");
        signIn("STAFF_LOGIN");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("idea-title")));
        browser.findElement(By.id("idea-title")).sendKeys("Ask for the tree's species");
        browser.findElement(By.id("idea-change")).sendKeys("Callers often know the species: ask it on tree damage "
                + "calls so that crews bring the right gear.");
        new Select(browser.findElement(By.id("idea-department"))).selectByValue("parks");
        browser.findElement(By.xpath("//button[text()='Submit the idea']")).sendKeys(Keys.ENTER);
        WebElement thanks = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.filed")));
        assertThat(thanks.getText()).contains("with the department's supervisors");
        assertThat(section("mine-title").getText()).contains("Ask for the tree's species", "Submitted");
        check("ideas");

        // when the parks supervisor accepts it, then marks it done
        signOut();
        browser.get(platform.url("console") + "/ideas");
        signIn("SUPERVISOR_LOGIN_PARKS");
        review("Ask for the tree's species", "accepted", "We add the question next month");
        review("Ask for the tree's species", "done", "Live on every tree damage call");
        assertThat(section("review-title").getText()).contains("Ask for the tree's species", "Done");
        check("ideas-review");

        // then its author sees each step as news, once, and the idea among those put into practice, credited
        signOut();
        browser.get(platform.url("console") + "/ideas");
        signIn("STAFF_LOGIN");
        WebElement mine = waitFor(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//section[h2[@id='mine-title']]")));
        assertThat(mine.getText()).contains("New since you last looked", "Accepted", "We add the question next month",
                "Done", "Live on every tree damage call");
        assertThat(section("recognised-title").getText()).contains("Ask for the tree's species",
                "Local Staff Member");
        check("ideas-author");
        browser.navigate().refresh();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("mine-title")));
        assertThat(section("mine-title").getText()).doesNotContain("New since you last looked");
        // and the department's scorecard counts it as acted on
        browser.get(platform.url("console") + "/levels");
        WebElement parks = waitFor(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//section[h2[@id='ideas-title']]//tr[th[text()='parks']]")));
        assertThat(parks.findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("1", "0", "1", "1", "0");
        // and misrouting at intake per filing team: the call centre's one filing, not sent on
        WebElement callCentre = browser.findElement(By.xpath(
                "//section[h2[@id='intake-title']]//tr[th[text()='call-centre']]"));
        assertThat(callCentre.findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("1", "0", "0.0%");
        check("levels-ideas");

        // and when the call-taker takes their knowledge check
        browser.get(platform.url("console") + "/quiz");
        int right = takeCheckAnsweringFirstChoices(null);
        // then the call centre's supervisor (a team, no department) lands on the team's checks: the call-taker's
        // score beside the team's filings sent on as the wrong service (none of the one filed here); no queue
        signOut();
        browser.get(platform.url("console") + "/quiz");
        signIn("SUPERVISOR_LOGIN_CALL_CENTRE");
        browser.get(platform.url("console") + "/");
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/quiz"));
        assertThat(section("team-title").getText()).contains("Your team: call-centre", "Local Staff Member",
                right + " of 10", "wrong service was chosen at intake: 0 of 1");
        assertThat(browser.findElements(By.linkText("Queue"))).isEmpty();
        assertThat(browser.findElements(By.linkText("Take a call"))).isEmpty();
        check("quiz-call-centre");
    }

    /**
     * From the knowledge check page: starts a check, answers each question with its first choice by keyboard (Space
     * selects the focused radio), hands it in; returns the number right.
     */
    private int takeCheckAnsweringFirstChoices(String screenshot) throws IOException {
        browser.findElement(By.xpath("//button[text()='Start a check']")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("fieldset.quiz-question")));
        List<WebElement> questions = browser.findElements(By.cssSelector("fieldset.quiz-question"));
        assertThat(questions).hasSize(10);
        // each question has four answers to choose from, named by its legend
        assertThat(questions).allSatisfy(question -> assertThat(question.findElements(By.cssSelector(
                "input[type=radio]"))).hasSize(4));
        if (screenshot != null) {
            check(screenshot);
        }
        for (WebElement question : questions) {
            scrollTo(question);
            question.findElement(By.cssSelector("input[type=radio]")).sendKeys(Keys.SPACE);
        }
        browser.findElement(By.xpath("//button[text()='Hand in']")).sendKeys(Keys.ENTER);
        WebElement score = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("p.score")));
        Matcher marked = Pattern.compile("(\\d+) of 10 right").matcher(score.getText());
        assertThat(marked.find()).as(score.getText()).isTrue();
        return Integer.parseInt(marked.group(1));
    }

    /**
     * On a queue item: accepts it by keyboard ("a"), checks what {@code accepted} asks of the panel, then resolves
     * it from the panel's actions with a note to the resident.
     */
    private void acceptAndResolve(WebElement item, String note, Runnable accepted) {
        item.sendKeys("a");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Accepted"));
        accepted.run();
        WebElement resolve = browser.findElement(By.xpath("//details[summary[text()='Resolve']]"));
        resolve.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        waitFor(driver -> resolve.getAttribute("open") != null);
        resolve.findElement(By.name("note")).sendKeys(note);
        resolve.findElement(By.cssSelector("button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Resolved."));
    }

    /** The XPath of the queue's row of this request. */
    private static String queueItem(String requestId) {
        return "//tr[@data-queue-item][.//a[text()='" + requestId + "']]";
    }

    private WebElement section(String titleId) {
        return browser.findElement(By.xpath("//section[h2[@id='" + titleId + "']]"));
    }

    /** A supervisor moves the idea with this title to a status, with a note for its author. */
    private void review(String title, String status, String note) {
        WebElement idea = waitFor(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//section[h2[@id='review-title']]//article[.//h3/span[text()=\"" + title + "\"]]")));
        scrollTo(idea);
        new Select(idea.findElement(By.name("status"))).selectByValue(status);
        idea.findElement(By.name("note")).sendKeys(note, Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.xpath(
                "//section[h2[@id='review-title']]//article[.//h3/span[text()=\"" + title + "\"]]//span[contains(@class,'badge')]"),
                status.equals("done") ? "Done" : "Accepted"));
    }

    @Test
    @Order(12)
    void shouldLetADepartmentAskAnotherForWorkAndAnswerItsSurveyWhenItIsDone() throws Exception {
        // given Parks' agent, whose depot gate light is out: Transportation's work, asked for by a coworker
        signOut();
        browser.get(platform.url("console") + "/call");
        signIn("AGENT_LOGIN_PARKS");
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/call"));
        WebElement search = browser.switchTo().activeElement();
        search.sendKeys("street light out");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("first-hit")));
        search.sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("attr-light-condition")));
        browser.findElement(By.id("attr-light-condition")).sendKeys(Keys.ARROW_DOWN);
        browser.findElement(By.id("address")).sendKeys("Parks depot, 2 East 4th Street");
        browser.findElement(By.id("latitude")).sendKeys("40.7265");
        browser.findElement(By.id("longitude")).sendKeys("-73.9921", Keys.TAB);
        // filed for their own department: no resident
        browser.findElement(By.id("internal")).sendKeys(Keys.SPACE);
        browser.findElement(By.id("description")).sendKeys("The light over the depot gate is out; crews leave at 5.");
        browser.findElement(By.id("file-request")).sendKeys(Keys.ENTER);
        String internalId = waitFor(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".filed .request-number"))).getText();
        assertThat(internalId).matches(REQUEST_NUMBER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".routing"), "transportation"),
                Duration.ofSeconds(60));

        // when Transportation's supervisor ticks it and the first request in the queue, and assigns both at once
        signOut();
        browser.get(platform.url("console") + "/queue");
        signIn("SUPERVISOR_LOGIN_TRANSPORTATION");
        for (String id : List.of(internalId, requestId)) {
            WebElement pick = waitForReload(By.xpath(queueItem(id) + "//input[@name='pick']"),
                    Duration.ofSeconds(60));
            pick.sendKeys(Keys.SPACE);
        }
        browser.findElement(By.id("bulk-agent")).sendKeys("agent.transportation", Keys.ENTER);
        // then each item has its own result, and the queue shows the agent on both
        WebElement results = waitFor(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//div[@id='work-panel'][.//h2[text()='Assigned to agent.transportation']]")));
        assertThat(results.findElements(By.tagName("li"))).extracting(WebElement::getText)
                .containsExactlyInAnyOrder(internalId + ": Done", requestId + ": Done");
        check("queue-bulk-assigned");
        for (String id : List.of(internalId, requestId)) {
            waitFor(ExpectedConditions.textToBePresentInElementLocated(By.xpath(queueItem(id) + "/td[6]"),
                    "agent.transportation"));
        }

        // when the agent finds it among their own work, accepts and resolves it
        signOut();
        browser.get(platform.url("console") + "/queue?department=transportation&view=mine");
        signIn("AGENT_LOGIN_TRANSPORTATION");
        WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath(queueItem(internalId))));
        assertThat(browser.findElements(By.cssSelector("tr[data-queue-item]"))).allSatisfy(
                mine -> assertThat(mine.getText()).contains("agent.transportation"));
        acceptAndResolve(row, "New lamp over the depot gate.", () -> { });

        // then Parks' agent, the coworker who asked, answers its survey in the console: coworkers are customers too
        signOut();
        browser.get(platform.url("console") + "/follow-ups");
        signIn("AGENT_LOGIN_PARKS");
        WebElement waiting = waitForReload(By.xpath("//section[h2[@id='internal-title']]//tr[td/a[text()='"
                + internalId + "']]"), Duration.ofSeconds(60));
        assertThat(waiting.getText()).contains("streetlight-out", "transportation");
        waiting.findElement(By.tagName("button")).sendKeys(Keys.ENTER);
        WebElement answers = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#internal-survey form")));
        assertThat(browser.findElement(By.id("internal-survey")).getText()).contains("Your answers on " + internalId,
                "How satisfied are you").doesNotContain("Read this link to the caller");
        answers.findElement(By.id("satisfaction-4")).sendKeys(Keys.SPACE);
        answers.findElement(By.id("resolved-yes")).sendKeys(Keys.SPACE);
        answers.findElement(By.id("comment")).sendKeys("Done the next morning, thank you.");
        check("follow-ups-internal-survey");
        answers.findElement(By.cssSelector("button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("internal-survey"), "Answers recorded"));
        // and it no longer waits for an answer; the request's page says who answered
        browser.navigate().refresh();
        assertThat(section("internal-title").getText()).contains("No survey waiting for your answer.");
        browser.get(platform.url("console") + "/requests/" + internalId);
        assertThat(browser.findElement(By.xpath("//section[h2[@id='survey-title']]")).getText())
                .contains("Survey answered (to the staff who asked for it)");
    }

    @Test
    @Order(13)
    void shouldLetTheAgentTransferARequestToTheDepartmentThatOwnsTheAssetWithTheReasonOnItsTimeline()
            throws Exception {
        // given Transportation's agent with the reopened light, assigned to them by their supervisor
        signOut();
        browser.get(platform.url("console") + "/queue?department=transportation&view=mine");
        signIn("AGENT_LOGIN_TRANSPORTATION");
        WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath(queueItem(requestId))));
        // when they open it by keyboard (Enter on the item) and transfer it to Parks, saying why
        row.sendKeys(Keys.ENTER);
        WebElement transfer = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[@id='work-panel']//details[summary[text()='Transfer']]")));
        transfer.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        waitFor(driver -> transfer.getAttribute("open") != null);
        new Select(transfer.findElement(By.name("toDepartment"))).selectByValue("parks");
        // (a lamp on a path in the park: Parks' park lighting, not the street light the call-taker chose)
        new Select(transfer.findElement(By.name("reasonCode"))).selectByValue("wrong-service-chosen-at-intake");
        transfer.findElement(By.name("reason")).sendKeys("The pole stands on park land: Parks keeps its lights");
        scrollTo(transfer);
        check("queue-transfer");
        transfer.findElement(By.cssSelector("button[type=submit]")).sendKeys(Keys.ENTER);
        // then the panel says where it went, and it leaves Transportation's queue
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Transferred to parks."));
        waitFor(ExpectedConditions.invisibilityOfElementLocated(
                By.xpath(queueItem(requestId))));

        // and Parks' agent, refused this request before, now finds it in their queue, with the reason on its timeline
        signOut();
        browser.get(platform.url("console") + "/queue");
        signIn("AGENT_LOGIN_PARKS");
        WebElement arrived = waitForReload(By.xpath(queueItem(requestId)),
                Duration.ofSeconds(60));
        assertThat(arrived.getText()).contains("streetlight-out", "dark for three nights");
        check("queue-transferred");
        browser.get(platform.url("console") + "/requests/" + requestId);
        WebElement timeline = waitForReload(By.xpath("//ol[contains(@class, 'timeline')][contains(., "
                + "'Passed to another department')]"), Duration.ofSeconds(30));
        assertThat(timeline.getText()).contains("The pole stands on park land");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains(requestId);
        check("request-transferred");

        // when Parks' agent resolves it from the queue, and their crew reports the lamp dark again the next night
        browser.get(platform.url("console") + "/queue");
        WebElement mine = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath(queueItem(requestId))));
        acceptAndResolve(mine, "Lamp in the park replaced.", () -> { });
        // then, resolved and gone from the queue, it is reopened from its own page, which shows the department's work
        browser.get(platform.url("console") + "/requests/" + requestId);
        WebElement reopen = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//div[@id='work-panel']//details[summary[text()='Reopen']]")));
        assertThat(browser.switchTo().activeElement().getTagName()).isEqualTo("body");
        reopen.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        waitFor(driver -> reopen.getAttribute("open") != null);
        reopen.findElement(By.name("reason")).sendKeys("The crew found it dark again the next night");
        scrollTo(reopen);
        check("request-reopen");
        reopen.findElement(By.cssSelector("button[type=submit]")).sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("work-panel"), "Reopened."));
        waitForReload(By.xpath(queueItem(requestId) + "[contains(., 'Reopened')]"),
                Duration.ofSeconds(30), "/queue");

        // and the scorecard counts it against the department it was first sent to: of Transportation's two
        // requests (the light and Parks' gate), one went on elsewhere
        WebElement firstTime = waitForReload(By.xpath("//tr[th/a[text()='transportation']]/td[7][text()!='100%']"),
                Duration.ofSeconds(90), "/levels");
        assertThat(firstTime.getText()).isEqualTo("50%");
        // and Parks' reopening counts against Parks, which has it now
        waitForReload(By.xpath("//tr[th/a[text()='parks']]/td[5][text()='1']"), Duration.ofSeconds(90), "/levels");
        assertThat(browser.findElement(By.xpath("//tr[th/a[text()='transportation']]/td[1]")).getText()).isEqualTo("2");
        // and, by the reason the agent gave, as misrouted at intake: against Transportation, which sent it on, and
        // against the call centre's filing
        assertThat(browser.findElement(By.xpath("//tr[th/a[text()='transportation']]/td[8]")).getText()).isEqualTo("1");
        WebElement callCentre = waitForReload(By.xpath("//section[h2[@id='intake-title']]//tr[th[text()='call-centre']]"
                + "[td[2][text()='1']]"), Duration.ofSeconds(60));
        assertThat(callCentre.findElements(By.tagName("td"))).extracting(WebElement::getText)
                .containsExactly("1", "1", "100.0%");
    }

    @Test
    @Order(14)
    void shouldSignOutAtTheProviderTooSoThatTheNextStaffPageAsksForThePasswordAgain() {
        // given the call centre's supervisor, signed in; when they sign out with the header's button
        browser.get(platform.url("console") + "/ideas");
        browser.findElement(By.xpath("//button[text()='Sign out']")).sendKeys(Keys.ENTER);
        // then they land on the public pages, and a staff page sends them to the provider's form again
        waitFor(ExpectedConditions.urlToBe(platform.url("console") + "/departments"));
        browser.get(platform.url("console") + "/queue");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        assertThat(browser.getCurrentUrl()).startsWith(platform.url("identity-provider"));
    }

    private void signIn(String loginVariable) throws IOException {
        String[] login = platform.login(loginVariable);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        check("sign-in");
        browser.findElement(By.name("username")).sendKeys(login[0]);
        browser.findElement(By.name("password")).sendKeys(login[1], Keys.ENTER);
        waitFor(ExpectedConditions.urlContains(platform.url("console")));
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", element);
    }

    private void signOut() {
        browser.manage().deleteAllCookies();
        browser.get(platform.url("identity-provider") + "/login");
        browser.manage().deleteAllCookies();
    }

    /** The page reloaded until the element is there (what a person does who waits for a change to arrive). */
    private WebElement waitForReload(By element, Duration atMost) {
        return waitForReload(element, atMost, null);
    }

    private WebElement waitForReload(By element, Duration atMost, String path) {
        if (path != null) {
            browser.get(platform.url("console") + path);
        }
        try {
            return new WebDriverWait(browser, atMost, Duration.ofSeconds(2)).until(driver -> {
                List<WebElement> found = driver.findElements(element);
                if (!found.isEmpty()) {
                    return found.get(0);
                }
                driver.navigate().refresh();
                return null;
            });
        }
        catch (RuntimeException failed) {
            keepForDiagnosis(failed);
            throw failed;
        }
    }

    /** Generous: seven JVMs and a browser share two cores here, and the first of anything is slow. */
    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return waitFor(condition, Duration.ofSeconds(45));
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition, Duration atMost) {
        try {
            return new WebDriverWait(browser, atMost).until(condition);
        }
        catch (RuntimeException failed) {
            keepForDiagnosis(failed);
            throw failed;
        }
    }

    /** What the browser showed when a wait failed: its page and a screenshot, next to the others. */
    private void keepForDiagnosis(RuntimeException failure) {
        try {
            String name = "failed-" + System.currentTimeMillis();
            java.io.StringWriter trace = new java.io.StringWriter();
            failure.printStackTrace(new java.io.PrintWriter(trace));
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getCurrentUrl() + "\n<!--\n"
                    + trace.toString().replace("--", "- -") + "\n-->\n" + browser.getPageSource());
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException | RuntimeException ignored) {
            // the failure itself is what matters
        }
    }

    /** An axe-core check of the page as it is (no serious or critical violation), and its screenshot. */
    private void check(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Results results = new AxeBuilder().analyze(browser);
        List<Rule> serious = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())).toList();
        assertThat(serious).as("axe-core on " + name + " (" + browser.getCurrentUrl() + "): "
                + serious.stream().map(rule -> rule.getId() + " " + rule.getNodes().stream()
                        .map(node -> String.valueOf(node.getTarget())).toList()).toList()).isEmpty();
    }

    static String requestNumberIn(String text) {
        Matcher found = REQUEST_NUMBER.matcher(text);
        return found.find() ? found.group() : null;
    }
}
