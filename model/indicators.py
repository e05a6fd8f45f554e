"""What every output of the model is called, in English and Chinese, with its unit and definition.

Pure data for readers (the glossary, ``ruralsim outputs``, reports, figures and the app); nothing
in the simulation imports it. :mod:`model.metrics` stays the place where the outcomes are
computed; this table says in words what each computed column means. Every key of
``model.metrics.SUMMARY_KEYS`` and every column of the ``annual``, ``monthly`` and ``counties``
tables has an entry (a test runs the model and checks), so a new outcome comes with its name here.

Chinese names follow the official terms of the transition period (过渡期) where there is one:
脱贫户 (formerly poor household), 返贫 (relapse), 规模性返贫 (large-scale relapse), 三个高于 (the three
excesses), 防止返贫动态监测和帮扶机制 (the dynamic monitoring and assistance mechanism), 低保 (dibao),
两不愁三保障 (the three guarantees), 国家乡村振兴重点帮扶县 (key counties).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Units of each kind of value, in English and Chinese (an indicator may state its own).
UNITS: dict[str, tuple[str, str]] = {
    "share": ("share (shown in %)", "比例（以%表示）"),
    "growth": ("share per year (shown in %)", "年增长率（以%表示）"),
    "yuan": ("yuan per person per year (nominal)", "元/人/年（现价）"),
    "yuan_total": ("yuan (nominal, whole province)", "元（现价，全省）"),
    "yuan_month": ("yuan per month (nominal, whole province)", "元/月（现价，全省）"),
    "households": ("households (scaled to the real province)", "户（按实际全省规模折算）"),
    "count": ("number (scaled to the real province)", "个（按实际全省规模折算）"),
    "flag": ("yes/no", "是/否"),
    "years": ("years", "年"),
    "index": ("index", "指数"),
    "gini": ("coefficient, 0 (equal) to 1", "系数，0（完全平均）至1"),
    "ratio": ("ratio", "倍数"),
    "year": ("calendar year", "年份"),
    "month": ("month of the year, 1-12", "月份（1-12）"),
    "code": ("code", "代码"),
}


@dataclass(frozen=True)
class Indicator:
    """One output: ``name`` as in the tables, where it appears, its kind of value and its words.

    Attributes:
        name: column or summary key.
        tables: where it appears: ``summary``, ``annual``, ``monthly``, ``counties`` and/or ``app``
            (the classroom app's monthly indicators).
        kind: key into :data:`UNITS` (also how to format it: shares as %, yuan with separators...).
        en, zh: short label in English; official or usual Chinese name.
        definition_en, definition_zh: what it measures, in one or two sentences.
    """

    name: str
    tables: tuple[str, ...]
    kind: str
    en: str
    zh: str
    definition_en: str
    definition_zh: str

    def unit(self, lang: str = "en") -> str:
        """The unit in words, in ``lang`` (``en`` or ``zh``)."""
        en, zh = UNITS[self.kind]
        return zh if lang == "zh" else en

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def definition(self, lang: str = "en") -> str:
        return self.definition_zh if lang == "zh" else self.definition_en


S, A, M, C, P = "summary", "annual", "monthly", "counties", "app"

_ROWS: tuple[tuple, ...] = (
    # ---- scalar outcomes of a run (model.metrics.summarise) ----
    ("relapse_rate_peak", (S,), "share", "Highest yearly relapse rate", "最高年度返贫率",
     "The highest province-wide relapse rate of any year of the run.",
     "模拟期内各年全省返贫率的最大值。"),
    ("relapse_cum_share", (S, P), "share", "Formerly poor households that relapsed at least once",
     "累计返贫脱贫户占比",
     "Formerly poor households that relapsed at some year-end of the run, as a share of all formerly poor "
     "households.",
     "模拟期内至少在一个年末返贫的脱贫户占全部脱贫户的比例。"),
    ("new_poverty_cum_share", (S,), "share", "Never-registered households that became poor at least once",
     "累计新增致贫户占比",
     "Households never registered as poor that became poor at some year-end, as a share of all such households.",
     "从未建档立卡的农户中，至少在一个年末陷入贫困的比例。"),
    ("poverty_rate_final", (S,), "share", "Poverty rate in the last year", "末年贫困发生率",
     "Persons in poor households as a share of all rural persons, in December of the last year.",
     "最后一年12月贫困家庭人口占农村总人口的比例。"),
    ("county_relapse_rate_max", (S,), "share", "Highest relapse rate of any formerly poor county in any year",
     "脱贫县最高年度返贫率",
     "The highest estimated relapse rate (relapse_rate_est) of any formerly poor county in any year.",
     "任一脱贫县任一年返贫率估计值的最大值。"),
    ("large_scale_relapse", (S,), "share", "Probability of large-scale relapse", "发生规模性返贫的概率",
     "The probability that some formerly poor county, in some year from 2021, relapses at or above the "
     "large-scale threshold (metrics.large_scale.county_threshold) with at least metrics.large_scale.min_persons "
     "persons relapsing, from the run's county relapse estimates; over many runs its mean is the chance of "
     "large-scale relapse.",
     "本次模拟中任一脱贫县在2021年后任一年返贫率达到规模性返贫阈值（metrics.large_scale.county_threshold）且返贫人数不少于"
     "metrics.large_scale.min_persons 的概率，由县级返贫估计得出；多次模拟的平均值即发生规模性返贫的概率。"),
    ("large_scale_relapse_never_poor", (S,), "share", "Probability of large-scale relapse in never-poor counties",
     "非贫困县发生规模性返贫的概率",
     "The same probability for the counties never designated poor, reported apart from the headline.",
     "从未列为贫困县的县发生规模性返贫的概率，与主要指标分开报告。"),
    ("large_scale_county_years", (S,), "count", "Expected county-years of large-scale relapse",
     "规模性返贫县·年数（期望值）",
     "The sum over formerly poor county-years of their probabilities of large-scale relapse.",
     "各脱贫县·年发生规模性返贫概率之和。"),
    ("relapsing_persons_county_max", (S,), "count", "Most persons relapsing in a county-year",
     "县·年最多返贫人数",
     "The largest expected number of persons relapsing in any formerly poor county in any year (real persons).",
     "任一脱贫县任一年返贫人数期望值的最大值（实际人口）。"),
    ("large_scale_threshold", (S,), "share", "Large-scale relapse threshold used", "所用规模性返贫阈值",
     "The county relapse rate from which a county-year counts as large-scale relapse in this run. There is no "
     "official figure; it is a parameter.",
     "本次模拟中县级返贫率达到该值即视为规模性返贫。官方未公布具体数值，这里是可调参数。"),
    ("income_growth_fpc_mean", (S,), "growth", "Yearly income growth in formerly poor counties (average)",
     "脱贫县农村居民人均可支配收入年均增速",
     "Average over the years of the nominal growth of per-capita disposable income in formerly poor counties.",
     "各年脱贫县农村居民人均可支配收入名义增速的平均值。"),
    ("three_excesses_years", (S,), "years", "Years in which the three excesses hold", "实现“三个高于”的年数",
     "Number of years in which income growth in formerly poor counties exceeded GDP growth, urban income growth "
     "and rural income growth (see three_excesses).",
     "脱贫县收入增速同时高于GDP增速、城镇居民收入增速和农村居民收入增速的年数（见 three_excesses）。"),
    ("relative_poverty_rate_final", (S,), "share", "Relative poverty rate in the last year", "末年相对贫困发生率",
     "Persons with per-capita income below a share (metrics.relative_poverty_share, 40%) of the rural median, "
     "in the last year.",
     "最后一年人均收入低于农村中位数一定比例（metrics.relative_poverty_share，默认40%）的人口占比。"),
    ("gini_final", (S,), "gini", "Gini coefficient of income in the last year", "末年收入基尼系数",
     "Gini coefficient of per-capita disposable income over persons in the last year.",
     "最后一年按人口计算的人均可支配收入基尼系数。"),
    ("fiscal_cost_total_yuan", (S,), "yuan_total", "Public spending over the whole period", "模拟期财政支出合计",
     "All public spending recorded in the simulated governments' accounts over the run, for the real province.",
     "模拟期内各级政府账户记录的全部公共支出之和（全省实际规模）。"),
    ("monitored_share_peak", (S,), "share", "Highest share of households under monitoring", "最高监测对象比例",
     "The highest year-end ratio of households under monitoring to formerly poor households.",
     "各年末监测对象户数与脱贫户数之比的最大值。"),
    ("risk_eliminated_share_final", (S,), "share", "Monitored households whose risk was eliminated",
     "风险消除比例",
     "Households ever marked risk-eliminated as a share of households ever monitored, at the end of the run.",
     "模拟结束时，累计标注风险消除的户数占累计纳入监测户数的比例。"),
    ("enterprises_final", (S,), "count", "Rural enterprises at the end", "期末农村企业数",
     "Enterprises operating in the province's counties at the end of the run.",
     "模拟结束时全省各县在营企业数。"),
    ("local_jobs_final", (S,), "count", "Local enterprise jobs at the end", "期末本地企业就业岗位数",
     "Household members working in local enterprises at the end of the run.",
     "模拟结束时在本地企业就业的农户劳动力人数。"),
    # ---- annual table (model.metrics.annual_outcomes and the model's December accounting) ----
    ("year", (A, M, C, P), "year", "Year", "年份", "Calendar year (annual rows: the situation in December).",
     "公历年份（年度表为当年12月的状况）。"),
    ("poverty_rate", (A, C, P), "share", "Poverty rate", "贫困发生率",
     "Persons in poor households as a share of all persons, in December (province-wide, or of a county). A "
     "household is poor when its per-capita net income is below the poverty line, or, when the check is on, it "
     "fails one of the three guarantees.",
     "12月贫困家庭人口占总人口的比例（全省或分县）。人均纯收入低于贫困线，或（启用时）“三保障”有一项未达标的家庭"
     "视为贫困。"),
    ("poverty_rate_fp", (A,), "share", "Poverty rate of formerly poor persons", "脱贫人口贫困发生率",
     "Persons in poor formerly poor households as a share of all persons in formerly poor households.",
     "脱贫户中贫困家庭人口占脱贫户总人口的比例。"),
    ("relapse_rate", (A, C, P), "share", "Relapse rate", "返贫率",
     "Formerly poor households poor in December of the year and not poor a year before, as a share of all formerly "
     "poor households (province-wide, or of a county). In the app: the last December's rate.",
     "当年12月贫困而上年末不贫困的脱贫户，占全部脱贫户的比例（全省或分县）。在课堂应用中为最近一个12月的数值。"),
    ("new_poverty_rate", (A,), "share", "New poverty rate", "新增致贫率",
     "Never-registered households poor in December and not a year before, as a share of never-registered "
     "households.",
     "当年12月贫困而上年末不贫困的非建档立卡户，占全部非建档立卡户的比例。"),
    ("n_relapse_households", (A,), "households", "Household relapses in the year", "当年返贫户数",
     "Formerly poor households that relapsed in the year.", "当年返贫的脱贫户数。"),
    ("n_new_poor_households", (A,), "households", "Newly poor households in the year", "当年新增致贫户数",
     "Never-registered households that became poor in the year.", "当年新陷入贫困的非建档立卡户数。"),
    ("monitored_share", (A,), "share", "Households under monitoring (share)", "监测对象比例",
     "Households under monitoring at year-end (all three categories) ÷ formerly poor households, as officially "
     "reported.",
     "年末监测对象户数（三类合计）÷ 脱贫户数，口径与官方通报一致。"),
    ("risk_eliminated_share", (A,), "share", "Risk eliminated (share of ever monitored)", "风险消除比例",
     "Households ever marked risk-eliminated ÷ households ever monitored, cumulative since 2021.",
     "2021年以来累计标注风险消除的户数 ÷ 累计纳入监测的户数。"),
    ("income_pc_mean_yuan", (A,), "yuan", "Income per person, all rural households", "农村居民人均可支配收入",
     "Person-weighted mean per-capita disposable income of all simulated households.",
     "全部模拟农户按人口加权的人均可支配收入。"),
    ("income_pc_fpc_yuan", (A,), "yuan", "Income per person in formerly poor counties",
     "脱贫县农村居民人均可支配收入",
     "Person-weighted mean per-capita disposable income in formerly poor counties.",
     "脱贫县按人口加权的农村居民人均可支配收入。"),
    ("income_pc_nonfpc_yuan", (A,), "yuan", "Income per person in other counties", "非脱贫县农村居民人均可支配收入",
     "Person-weighted mean per-capita disposable income in counties never designated poor.",
     "非贫困县按人口加权的农村居民人均可支配收入。"),
    ("income_pc_registered_yuan", (A,), "yuan", "Net income per person of formerly poor households",
     "脱贫人口人均纯收入",
     "Per-capita net income (after rigid medical and schooling costs) of formerly poor households.",
     "脱贫户人均纯收入（扣除刚性医疗和教育支出后）。"),
    ("income_growth_fpc", (A,), "growth", "Income growth in formerly poor counties", "脱贫县农村居民收入增速",
     "Nominal year-on-year growth of income_pc_fpc_yuan.", "income_pc_fpc_yuan 的名义同比增速。"),
    ("gdp_growth", (A,), "growth", "Nominal GDP growth", "名义GDP增速",
     "Nominal GDP growth: (1 + real growth) × (1 + inflation) − 1, from the macro path.",
     "名义GDP增速：（1+实际增速）×（1+通胀率）−1，取自宏观情景。"),
    ("urban_income_growth", (A,), "growth", "Urban income growth", "城镇居民收入增速",
     "Nominal growth of urban per-capita disposable income, from the macro path.",
     "城镇居民人均可支配收入名义增速，取自宏观情景。"),
    ("rural_income_growth", (A,), "growth", "Rural income growth (all counties)", "农村居民收入增速",
     "Nominal year-on-year growth of income_pc_mean_yuan over all simulated counties.",
     "全部模拟县 income_pc_mean_yuan 的名义同比增速。"),
    ("three_excesses", (A,), "flag", "Three excesses hold", "实现“三个高于”",
     "Yes when, in the year, income growth in formerly poor counties exceeds nominal GDP growth, urban income "
     "growth and rural income growth of all counties.",
     "当年脱贫县农村居民收入增速同时高于名义GDP增速、城镇居民收入增速和全部县农村居民收入增速时为“是”。"),
    ("wage_share_fpc", (A,), "share", "Wage share of income, formerly poor counties", "脱贫县工资性收入占比",
     "Wages as a share of household income in formerly poor counties.", "脱贫县农户收入中工资性收入所占比例。"),
    ("operating_share_fpc", (A,), "share", "Operating share of income, formerly poor counties",
     "脱贫县经营净收入占比",
     "Farm and business income as a share of household income in formerly poor counties.",
     "脱贫县农户收入中经营净收入所占比例。"),
    ("property_share_fpc", (A,), "share", "Property share of income, formerly poor counties",
     "脱贫县财产净收入占比",
     "Property income as a share of household income in formerly poor counties.",
     "脱贫县农户收入中财产净收入所占比例。"),
    ("transfer_share_fpc", (A,), "share", "Transfer share of income, formerly poor counties",
     "脱贫县转移净收入占比",
     "Public and private transfers as a share of household income in formerly poor counties.",
     "脱贫县农户收入中转移净收入（公共和私人）所占比例。"),
    ("relative_poverty_rate", (A,), "share", "Relative poverty rate", "相对贫困发生率",
     "Persons with per-capita income below metrics.relative_poverty_share (40%) of the rural median.",
     "人均收入低于农村中位数 metrics.relative_poverty_share（默认40%）的人口占比。"),
    ("gini", (A,), "gini", "Gini coefficient of income", "收入基尼系数",
     "Gini coefficient of per-capita disposable income over persons.", "按人口计算的人均可支配收入基尼系数。"),
    ("transfer_received_yuan", (A,), "yuan_total", "Public transfers received by households",
     "农户获得的公共转移收入",
     "Public transfers received by all households in the year.", "当年全部农户获得的公共转移收入。"),
    ("local_jobs", (A,), "count", "Local enterprise jobs", "本地企业就业岗位数",
     "Household members working in local enterprises in December.", "12月在本地企业就业的农户劳动力人数。"),
    ("guarantee_failure_rate", (A,), "share", "Three-guarantee failures", "“三保障”未达标户比例",
     "Households failing one of the three guarantees (compulsory education, basic medical care, safe housing) in "
     "December, as a share of all households.",
     "12月义务教育、基本医疗、住房安全“三保障”中有一项未达标的农户占全部农户的比例。"),
    ("fiscal_cost_yuan", (A,), "yuan_total", "Public spending in the year", "当年财政支出",
     "All public spending recorded in the government accounts in the year.", "当年政府账户记录的全部公共支出。"),
    ("transfer_spending_yuan", (A,), "yuan_total", "Spending on transfers to households", "对农户转移支出",
     "Public spending paid to households as transfers in the year.", "当年以转移支付形式支付给农户的公共支出。"),
    ("enterprises", (A, M, P), "count", "Rural enterprises", "农村企业数",
     "Enterprises operating in the province's counties.", "全省各县在营企业数。"),
    ("poverty_line_yuan", (A,), "yuan", "Poverty line", "贫困线",
     "The poverty line in force: 2,300 yuan at 2010 prices (about 4,000 in 2020), indexed with prices.",
     "现行贫困标准：2010年不变价2300元（2020年约4000元），逐年按价格指数调整。"),
    ("monitoring_threshold_yuan", (A,), "yuan", "Monitoring threshold", "防止返贫监测范围（收入标准）",
     "Households with per-capita income below it are screened for risk (6,000 yuan in 2021, 6,600 in 2022, then "
     "indexed).",
     "人均收入低于该标准的农户纳入风险排查（2021年6000元，2022年6600元，此后按价格调整）。"),
    ("income_growth_fpc_real", (A,), "growth", "Real income growth in formerly poor counties",
     "脱贫县农村居民收入实际增速",
     "Growth of income_pc_fpc_yuan after consumer price inflation.", "扣除价格因素后 income_pc_fpc_yuan 的增速。"),
    ("income_ratio_fpc_nonfpc", (A,), "ratio", "Income of formerly poor ÷ other counties",
     "脱贫县与非脱贫县收入之比",
     "income_pc_fpc_yuan ÷ income_pc_nonfpc_yuan.", "脱贫县收入 ÷ 非脱贫县收入（income_pc_fpc_yuan ÷ income_pc_nonfpc_"
                                                    "yuan）。"),
    ("income_growth_premium_fpc", (A,), "growth", "Growth premium of formerly poor counties",
     "脱贫县收入增速高出幅度",
     "income_growth_fpc minus the income growth of the other counties.", "income_growth_fpc 减去其他县收入增速。"),
    ("registered_poor_share", (A,), "share", "Registered poor households (share)", "建档立卡贫困户比例",
     "Households on the poverty register in December, as a share of all households (historical runs; 0 from 2021).",
     "12月仍在建档立卡名单上的贫困户占全部农户的比例（历史情景；2021年起为0）。"),
    ("relocated_share_fp", (A,), "share", "Relocated formerly poor households (share)", "易地扶贫搬迁户比例",
     "Formerly poor households relocated from inhospitable areas, as a share of formerly poor households.",
     "易地扶贫搬迁的脱贫户占脱贫户的比例。"),
    ("migrant_share_fp_labour", (A,), "share", "Migrant workers among formerly poor labour", "脱贫劳动力外出务工比例",
     "Workers of formerly poor households working as migrants, as a share of their labour.",
     "脱贫户劳动力中外出务工者的比例。"),
    ("exiter_poor_again_share", (A,), "share", "Exited households poor again", "已退出户再次贫困比例",
     "Households that exited the register and are poor again in December, as a share of exited households.",
     "已退出建档立卡名单、12月再次贫困的户数占已退出户数的比例。"),
    ("spend_pension_yuan", (A,), "yuan_total", "Spending: pensions", "支出：养老金", "Basic pensions paid in the year.",
     "当年发放的城乡居民基本养老金。"),
    ("spend_dibao_yuan", (A,), "yuan_total", "Spending: dibao", "支出：低保", "Dibao (minimum living allowance) paid.",
     "当年发放的农村最低生活保障金（低保）。"),
    ("spend_transition_subsidy_yuan", (A,), "yuan_total", "Spending: transition subsidies", "支出：过渡期补贴",
     "Subsidies kept for registered households in the transition period.", "过渡期内保留的对脱贫户的各项补贴。"),
    ("spend_public_posts_yuan", (A,), "yuan_total", "Spending: public-welfare posts", "支出：公益性岗位",
     "Wages of public-welfare posts.", "公益性岗位工资。"),
    ("spend_industrial_assistance_yuan", (A,), "yuan_total", "Spending: industrial assistance", "支出：产业帮扶",
     "Industrial assistance to households.", "对农户的产业帮扶资金。"),
    ("spend_employment_assistance_yuan", (A,), "yuan_total", "Spending: employment assistance", "支出：就业帮扶",
     "Employment assistance (training, transport, job matching).", "就业帮扶资金（培训、交通补贴、就业对接）。"),
    ("spend_medical_insurance_yuan", (A,), "yuan_total", "Spending: medical insurance", "支出：医疗保险",
     "Reimbursements of basic and critical-illness medical insurance.", "基本医保和大病保险报销支出。"),
    ("spend_medical_assistance_yuan", (A,), "yuan_total", "Spending: medical assistance", "支出：医疗救助",
     "Medical assistance beyond insurance.", "保险报销之外的医疗救助。"),
    ("spend_education_support_yuan", (A,), "yuan_total", "Spending: education support", "支出：教育资助",
     "Support for schooling costs.", "学生资助等教育支出。"),
    ("spend_housing_renovation_yuan", (A,), "yuan_total", "Spending: housing renovation", "支出：危房改造",
     "Renovation of unsafe houses.", "农村危房改造支出。"),
    ("spend_enterprise_support_yuan", (A,), "yuan_total", "Spending: enterprise support", "支出：企业扶持",
     "Policy support for rural enterprises.", "对农村企业的政策扶持支出。"),
    ("spend_rural_construction_yuan", (A,), "yuan_total", "Spending: rural construction", "支出：乡村建设",
     "Rural construction and infrastructure.", "乡村建设和基础设施支出。"),
    # ---- monthly table ----
    ("month", (M, P), "month", "Month", "月份", "Month of the year (1-12).", "月份（1-12）。"),
    ("n_monitored", (M, P), "households", "Households under monitoring", "监测对象户数",
     "Households in the monitoring mechanism at the end of the month (unstable formerly poor, marginal and sudden "
     "hardship households), scaled to the real province.",
     "月末纳入防止返贫动态监测的户数（脱贫不稳定户、边缘易致贫户、突发严重困难户），按实际全省规模折算。"),
    ("n_newly_identified", (M,), "households", "Households newly identified in the month", "当月新识别监测对象户数",
     "Households the monitoring found at risk and took in during the month.", "当月排查发现并新纳入监测的户数。"),
    ("n_assisted", (M, P), "households", "Households receiving targeted assistance", "获得帮扶的户数",
     "Households receiving industrial, employment, social or medical assistance in the month.",
     "当月获得产业、就业、社会保障或医疗帮扶的户数。"),
    ("n_migrant", (M,), "count", "Migrant workers", "外出务工人数",
     "Household members working away from home.", "外出务工的农户劳动力人数。"),
    ("n_local_job", (M, P), "count", "Local enterprise jobs", "本地企业就业人数",
     "Household members working in local enterprises.", "在本地企业就业的农户劳动力人数。"),
    ("n_public_post", (M,), "count", "Public-welfare posts", "公益性岗位人数",
     "Household members employed on public-welfare posts.", "在公益性岗位就业的人数。"),
    ("n_dibao", (M, P), "households", "Households receiving dibao", "低保户数",
     "Households receiving the minimum living allowance (dibao, 低保).", "享受农村最低生活保障（低保）的户数。"),
    ("income_est_pc_fp_yuan", (M,), "yuan", "Estimated income of formerly poor", "脱贫户估计人均收入",
     "Mean smoothed per-capita income estimate of formerly poor households: what cadres see in the month.",
     "脱贫户平滑后的人均收入估计值的均值，即基层干部当月掌握的收入情况。"),
    ("migrant_demand", (M,), "index", "Demand for migrant workers", "外出务工需求指数",
     "Demand for migrant labour (2019 = 1).", "外出务工劳动力需求（2019年=1）。"),
    ("price_main_industry", (M,), "index", "Price of the main industry", "主导产业产品价格指数",
     "Price of the main characteristic industry's product (1 = normal).", "特色主导产业产品价格（1=正常）。"),
    ("cpi", (M,), "index", "Consumer price index", "居民消费价格指数", "Consumer price level (2020 = 1).",
     "居民消费价格水平（2020年=1）。"),
    ("fiscal_cost_month_yuan", (M, P), "yuan_month", "Public spending in the month", "当月财政支出",
     "All public spending recorded in the month.", "当月记录的全部公共支出。"),
    # ---- counties table ----
    ("county", (C,), "code", "County", "县", "County number, 0 to n_counties − 1.", "县编号，0 至 n_counties−1。"),
    ("county_type", (C,), "code", "County type", "县类型",
     "key (K): key county for national rural revitalisation; formerly_poor (F): other formerly poor county; "
     "never_poor (N): county never designated poor.",
     "key（K）：国家乡村振兴重点帮扶县；formerly_poor（F）：其他脱贫县；never_poor（N）：非贫困县。"),
    ("income_pc_yuan", (C,), "yuan", "Income per person (county)", "县农村居民人均可支配收入",
     "Person-weighted mean per-capita disposable income of the county.", "该县按人口加权的农村居民人均可支配收入。"),
    ("large_scale", (C,), "flag", "Large-scale relapse more likely than not (county-year)",
     "可能发生规模性返贫（县·年）",
     "Yes when the county's relapse rate in the year reached the large-scale threshold.",
     "该县当年返贫率达到规模性返贫阈值时为“是”。"),
    ("monitoring_effort", (C,), "share", "Monitoring effort", "监测帮扶力度",
     "Share of at-risk households the county's screening reached, given its budget.",
     "在预算约束下，该县排查实际覆盖的风险户比例。"),
    ("budget_yuan", (C,), "yuan_total", "County budget for assistance", "县级帮扶资金",
     "Funds the county had for assistance in the year.", "该县当年可用于帮扶的资金。"),
    # ---- the classroom app's monthly indicators (experiments.app.lockstep) ----
    ("t", (P,), "year", "Time", "时间", "Decimal time: year + (month − 0.5) / 12.", "小数时间：年份 +（月份−0.5）/12。"
                                                                                  ""),
    ("below_line_fp_share", (P,), "share", "Formerly poor below the line now", "当前低于贫困线的脱贫户占比",
     "Formerly poor households whose smoothed income estimate (what cadres see) is below this month's poverty "
     "line: an early monthly signal, not the official year-end measure.",
     "平滑收入估计值（基层干部掌握的情况）低于当月贫困线的脱贫户比例：月度预警信号，不是官方年末口径。"),
    ("relapse_rate_12m", (P,), "share", "Relapse rate, last 12 months", "近12个月返贫率",
     "Formerly poor households whose smoothed income estimate is below the poverty line now and was not below it "
     "12 months earlier (in the first year: at the start of the run), as a share of formerly poor households: a "
     "monthly, rolling-year counterpart of the December relapse rate, which also counts rigid costs and the three "
     "guarantees.",
     "平滑收入估计值当前低于贫困线、而12个月前（第一年内为模拟开始时）不低于贫困线的脱贫户，占全部脱贫户的比例。"
     "这是按月滚动计算、与12月返贫率对应的指标（12月返贫率还计入刚性支出和“三保障”）。"),
    ("income_formerly_poor_yuan", (P,), "yuan", "Income of formerly poor households", "脱贫户人均收入",
     "Mean smoothed per-capita income estimate of formerly poor households, weighted by persons.",
     "脱贫户按人口加权的平滑人均收入估计值。"),
    ("income_marginal_yuan", (P,), "yuan", "Income of marginal households", "边缘户人均收入",
     "Mean smoothed per-capita income estimate of marginal households (never registered, 2021 income below the "
     "monitoring threshold).",
     "边缘户（未建档立卡、2021年收入低于监测标准）按人口加权的平滑人均收入估计值。"),
    ("income_others_yuan", (P,), "yuan", "Income of other households", "其他农户人均收入",
     "Mean smoothed per-capita income estimate of all other households.", "其他农户按人口加权的平滑人均收入估计值。"),
    # ---- outputs of county finance, social protection, monitoring and large-scale relapse ----
    ('dibao_coverage_fp_final', (S,), 'share', 'Formerly poor persons on dibao or tekun (last year)',
     '末年脱贫人口低保特困覆盖率',
     'Persons of formerly poor households on dibao or extreme-poverty support in December of the last year, as '
     'a share of all of them.',
     '最后一年12月纳入低保或特困供养的脱贫人口占全部脱贫人口的比例。'),
    ('assistance_intensity_min', (S,), 'ratio', 'Lowest yearly assistance intensity', '最低年度帮扶力度',
     'The lowest yearly assistance intensity of formerly poor counties (assistance per supported household '
     'relative to the 2020 level, weighted by budget).',
     '脱贫县年度帮扶力度（每户受帮扶家庭获得的帮扶相对2020年水平，按预算加权）的最小值。'),
    ('relapse_stock_rate_final', (S,), 'share', 'Formerly poor households poor at the end (relapse stock)',
     '末年返贫存量',
     'Formerly poor households poor in December of the last year, as a share of all of them.',
     '最后一年12月处于贫困的脱贫户占全部脱贫户的比例。'),
    ('persistent_relapse_rate_mean', (S,), 'share', 'Persistent relapse (mean)', '持续性返贫率（平均）',
     'Mean over the years of the share of formerly poor households poor two or more years running.',
     '各年连续两年及以上处于贫困的脱贫户比例的平均值。'),
    ('expected_escape_years', (S,), 'years', 'Expected years to escape relapse', '摆脱返贫的期望年数',
     'The inverse of the escape rate pooled over the years: how long a formerly poor household that is poor '
     'can expect to stay poor (0 when none was poor, infinite when none escaped).',
     '各年合计脱贫率的倒数：处于贫困的脱贫户预期仍将贫困的年数（无人贫困时为0，无人脱贫时为无穷大）。'),
    ('relapse_spending_only_share_mean', (S,), 'share', 'Relapse caused only by spending (mean share)',
     '仅因支出返贫占比（平均）',
     'Mean over the years of the share of relapses that happen only because rigid medical and schooling costs '
     'are deducted.',
     '各年仅因扣除刚性医疗和教育支出而返贫的户数占返贫户的比例的平均值。'),
    ('months_to_identification_mean', (S,), 'index', 'Months from a shock to identification (mean)',
     '从冲击到识别的月数（平均）',
     "Mean over the years of the months from a household's last shock to its identification by monitoring.",
     '各年农户从最近一次冲击到被监测识别所用月数的平均值。'),
    ('relapsers_monitored_share_mean', (S,), 'share', 'Relapsers already monitored (mean share)',
     '返贫户中已纳入监测的比例（平均）',
     "Mean over the years of the share of the year's relapsing households already monitored in January of that year.",
     '各年返贫户中当年1月已纳入监测的比例的平均值。'),
    ('hardship_relapse_rate_mean', (S,), 'share', 'Relapse after a sudden hardship (mean)', '突发困难户返贫率（平均）',
     'Mean over the years of the relapse rate of formerly poor households with a sudden hardship that year.',
     '各年当年遭遇突发严重困难的脱贫户返贫率的平均值。'),
    ('large_scale_p_01', (S,), 'share', 'Probability of large-scale relapse at a 1% threshold',
     '阈值为1%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 1% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的1%（超越概率曲线）。'),
    ('p_exceed_01', (C,), 'share', 'Probability the county-year reaches 1%', '县·年返贫率达到1%的概率',
     "The probability that the county's expected relapse rate that year is at least 1% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于1%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_02', (S,), 'share', 'Probability of large-scale relapse at a 2% threshold',
     '阈值为2%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 2% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的2%（超越概率曲线）。'),
    ('p_exceed_02', (C,), 'share', 'Probability the county-year reaches 2%', '县·年返贫率达到2%的概率',
     "The probability that the county's expected relapse rate that year is at least 2% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于2%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_03', (S,), 'share', 'Probability of large-scale relapse at a 3% threshold',
     '阈值为3%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 3% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的3%（超越概率曲线）。'),
    ('p_exceed_03', (C,), 'share', 'Probability the county-year reaches 3%', '县·年返贫率达到3%的概率',
     "The probability that the county's expected relapse rate that year is at least 3% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于3%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_04', (S,), 'share', 'Probability of large-scale relapse at a 4% threshold',
     '阈值为4%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 4% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的4%（超越概率曲线）。'),
    ('p_exceed_04', (C,), 'share', 'Probability the county-year reaches 4%', '县·年返贫率达到4%的概率',
     "The probability that the county's expected relapse rate that year is at least 4% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于4%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_05', (S,), 'share', 'Probability of large-scale relapse at a 5% threshold',
     '阈值为5%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 5% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的5%（超越概率曲线）。'),
    ('p_exceed_05', (C,), 'share', 'Probability the county-year reaches 5%', '县·年返贫率达到5%的概率',
     "The probability that the county's expected relapse rate that year is at least 5% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于5%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_06', (S,), 'share', 'Probability of large-scale relapse at a 6% threshold',
     '阈值为6%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 6% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的6%（超越概率曲线）。'),
    ('p_exceed_06', (C,), 'share', 'Probability the county-year reaches 6%', '县·年返贫率达到6%的概率',
     "The probability that the county's expected relapse rate that year is at least 6% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于6%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_07', (S,), 'share', 'Probability of large-scale relapse at a 7% threshold',
     '阈值为7%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 7% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的7%（超越概率曲线）。'),
    ('p_exceed_07', (C,), 'share', 'Probability the county-year reaches 7%', '县·年返贫率达到7%的概率',
     "The probability that the county's expected relapse rate that year is at least 7% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于7%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_08', (S,), 'share', 'Probability of large-scale relapse at a 8% threshold',
     '阈值为8%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 8% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的8%（超越概率曲线）。'),
    ('p_exceed_08', (C,), 'share', 'Probability the county-year reaches 8%', '县·年返贫率达到8%的概率',
     "The probability that the county's expected relapse rate that year is at least 8% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于8%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_09', (S,), 'share', 'Probability of large-scale relapse at a 9% threshold',
     '阈值为9%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 9% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的9%（超越概率曲线）。'),
    ('p_exceed_09', (C,), 'share', 'Probability the county-year reaches 9%', '县·年返贫率达到9%的概率',
     "The probability that the county's expected relapse rate that year is at least 9% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于9%（且返贫人数不少于最低人数）的概率。'),
    ('large_scale_p_10', (S,), 'share', 'Probability of large-scale relapse at a 10% threshold',
     '阈值为10%时发生规模性返贫的概率',
     'As large_scale_relapse, with a county-year threshold of 10% of formerly poor households (the exceedance curve).',
     '同“发生规模性返贫的概率”，但县·年阈值为脱贫户的10%（超越概率曲线）。'),
    ('p_exceed_10', (C,), 'share', 'Probability the county-year reaches 10%', '县·年返贫率达到10%的概率',
     "The probability that the county's expected relapse rate that year is at least 10% (with the minimum of "
     "persons relapsing).",
     '该县当年返贫率期望值不低于10%（且返贫人数不少于最低人数）的概率。'),
    ('assistance_intensity_fpc', (A,), 'ratio', 'Assistance intensity of formerly poor counties', '脱贫县帮扶力度',
     "Assistance per supported household relative to the 2020 level, the year's mean over months, averaged "
     "over formerly poor counties weighted by budget.",
     '每户受帮扶家庭获得的帮扶相对2020年水平（当年各月平均），按预算加权平均于各脱贫县。'),
    ('assistance_shortfall_yuan', (A,), 'yuan_total', 'Assistance shortfall planned in January', '年初计划帮扶资金缺口',
     "What the counties' caseload would cost at the 2020 level of assistance beyond their assistance lines, as "
     "planned in January.",
     '年初按2020年帮扶水平测算的需求超出各县帮扶资金的部分。'),
    ('dibao_coverage', (A,), 'share', 'Persons on dibao or tekun', '低保特困覆盖率',
     'Persons of households on dibao or extreme-poverty support in December, as a share of all rural persons.',
     '12月纳入低保或特困供养的人口占农村总人口的比例。'),
    ('dibao_coverage_fp', (A,), 'share', 'Formerly poor persons on dibao or tekun', '脱贫人口低保特困覆盖率',
     'Persons of formerly poor households on dibao or extreme-poverty support in December, as a share of all of them.',
     '12月纳入低保或特困供养的脱贫人口占全部脱贫人口的比例。'),
    ('wage_share_fp', (A,), 'share', "Wage share of formerly poor households' income", '脱贫户工资性收入占比',
     "Wages as a share of formerly poor households' disposable income.",
     '工资性收入占脱贫户可支配收入的比例。'),
    ('operating_share_fp', (A,), 'share', "Operating share of formerly poor households' income", '脱贫户经营净收入占比',
     "Operating income as a share of formerly poor households' disposable income.",
     '经营净收入占脱贫户可支配收入的比例。'),
    ('property_share_fp', (A,), 'share', "Property share of formerly poor households' income", '脱贫户财产净收入占比',
     "Property income as a share of formerly poor households' disposable income.",
     '财产净收入占脱贫户可支配收入的比例。'),
    ('transfer_public_share_fp', (A,), 'share',
     "Public transfer share of formerly poor households' income", '脱贫户公共转移收入占比',
     "Pensions, dibao and tekun, subsidies and temporary assistance as a share of formerly poor households' "
     "disposable income.",
     '养老金、低保特困金、各类补贴和临时救助占脱贫户可支配收入的比例。'),
    ('transfer_private_share_fp', (A,), 'share',
     "Remittance share of formerly poor households' income", '脱贫户私人转移收入占比',
     "Remittances and other private transfers as a share of formerly poor households' disposable income.",
     '外出成员汇款等私人转移收入占脱贫户可支配收入的比例。'),
    ('pension_share_fp', (A,), 'share', "Pension share of formerly poor households' income", '脱贫户养老金收入占比',
     "Residents' basic pensions as a share of formerly poor households' disposable income.",
     '城乡居民基本养老金占脱贫户可支配收入的比例。'),
    ('dibao_share_fp', (A,), 'share', "Dibao share of formerly poor households' income", '脱贫户低保特困金占比',
     "Dibao and tekun benefits as a share of formerly poor households' disposable income.",
     '低保金和特困供养金占脱贫户可支配收入的比例。'),
    ('subsidy_share_fp', (A,), 'share', "Subsidy share of formerly poor households' income", '脱贫户政策性补贴占比',
     "Policy and transition subsidies as a share of formerly poor households' disposable income.",
     '政策性补贴和过渡期补贴占脱贫户可支配收入的比例。'),
    ('temporary_share_fp', (A,), 'share',
     "Temporary assistance share of formerly poor households' income", '脱贫户临时救助占比',
     "Temporary assistance as a share of formerly poor households' disposable income.",
     '临时救助占脱贫户可支配收入的比例。'),
    ('relapse_stock_rate', (A,), 'share', 'Relapse stock', '返贫存量',
     'Formerly poor households poor in December, as a share of all of them.',
     '12月处于贫困的脱贫户占全部脱贫户的比例。'),
    ('persistent_relapse_rate', (A,), 'share', 'Persistent relapse', '持续性返贫率',
     'Formerly poor households poor this December and the last, as a share of all of them; the flow '
     'relapse_rate is the transient part.',
     '今年和去年12月均处于贫困的脱贫户占全部脱贫户的比例；返贫率（流量）为暂时性部分。'),
    ('relapse_spending_only_share', (A,), 'share', 'Relapse caused only by spending', '仅因支出返贫占比',
     'Relapses that happen only because rigid medical and schooling costs are deducted (disposable income '
     'above the line), as a share of relapses.',
     '仅因扣除刚性医疗和教育支出而返贫（可支配收入高于贫困线）的户数占返贫户的比例。'),
    ('relapse_guarantee_only_share', (A,), 'share', 'Relapse caused only by the three guarantees',
     '仅因“三保障”返贫占比',
     'Relapses with net income above the line, poor only by a three-guarantees failure, as a share of relapses.',
     '纯收入高于贫困线、仅因“三保障”未达标而返贫的户数占返贫户的比例。'),
    ('escape_rate', (A,), 'share', 'Escape rate', '脱贫率（返贫户）',
     'Formerly poor households poor last December that are not poor this December, as a share of those poor '
     'last December (0 when none was).',
     '去年12月贫困、今年12月不贫困的脱贫户占去年12月贫困脱贫户的比例（无人贫困时为0）。'),
    ('n_poor_last_year_fp', (A,), 'households', 'Formerly poor households poor last December', '去年12月贫困的脱贫户数',
     'Formerly poor households poor in the previous December (the denominator of the escape rate).',
     '上一年12月处于贫困的脱贫户数（脱贫率的分母）。'),
    ('n_escapes_fp', (A,), 'households', 'Formerly poor households escaping poverty', '摆脱贫困的脱贫户数',
     'Formerly poor households poor last December and not poor this December.',
     '去年12月贫困、今年12月不贫困的脱贫户数。'),
    ('months_to_identification', (A,), 'index', 'Months from a shock to identification', '从冲击到识别的月数',
     "Mean months from a household's last shock (illness, accident, disaster, job loss, a large medical bill) "
     "to its identification by monitoring, over households identified within a year of one.",
     '遭遇冲击（疾病、意外、灾害、失业、大额医疗支出）后一年内被识别的农户，从最近一次冲击到被监测识别的平均月数。'),
    ('months_to_assistance', (A,), 'index', 'Months from a shock to assistance', '从冲击到获得帮扶的月数',
     'Months to identification plus monitoring.days_to_assistance.',
     '从冲击到识别的月数加上 monitoring.days_to_assistance。'),
    ('identified_by_data_share', (A,), 'share', 'Identified from shared data', '通过部门数据识别的比例',
     'Households newly identified because a shared-data record reached the county, as a share of all newly identified.',
     '因部门共享数据预警而新识别的农户占全部新识别农户的比例。'),
    ('relapsers_monitored_share', (A,), 'share', 'Relapsers already monitored in January',
     '返贫户中年初已纳入监测的比例',
     "The year's relapsing households that were monitored in January of that year, as a share of them.",
     '当年返贫户中1月已纳入监测的比例。'),
    ('relapsers_assisted_share', (A,), 'share', 'Relapsers already assisted in January', '返贫户中年初已获帮扶的比例',
     "The year's relapsing households that were monitored and assisted in January of that year, as a share of them.",
     '当年返贫户中1月已纳入监测并获得帮扶的比例。'),
    ('hardship_relapse_rate', (A,), 'share', 'Relapse after a sudden hardship', '突发困难户返贫率',
     'Relapse rate of formerly poor households with a sudden hardship (a large rigid expense or a destroyed '
     'house) that year.',
     '当年遭遇突发严重困难（大额刚性支出或房屋损毁）的脱贫户的返贫率。'),
    ('spend_policy_subsidy_yuan', (A, C), 'yuan_total', 'Spending on policy subsidies', '政策性补贴支出',
     'Policy subsidies paid to rural households in the year.',
     '当年向农户发放的政策性补贴。'),
    ('spend_temporary_assistance_yuan', (A, C), 'yuan_total', 'Spending on temporary assistance', '临时救助支出',
     'Temporary assistance paid to sudden-hardship households in the year.',
     '当年向突发困难户发放的临时救助。'),
    ('spend_monitoring_platform_yuan', (A, C), 'yuan_total', 'Spending on the monitoring platform', '监测平台支出',
     "Cost of the monitoring platform's data sharing and verification in the year.",
     '当年防返贫监测平台数据共享与核实的费用。'),
    ('relapse_rate_est', (C,), 'share', 'Estimated relapse rate (county-year)', '县·年返贫率估计值',
     "The county's expected relapse rate that year: a fit on year, county type and disaster exposure, updated "
     "with the county's simulated relapses (model.metrics).",
     '该县当年返贫率的期望值：基于年份、县类型和灾害暴露的拟合，再结合该县模拟返贫户数更新（见 model.metrics）。'),
    ('relapsing_persons_est', (C,), 'count', 'Expected persons relapsing (county-year)', '县·年返贫人数期望值',
     "The estimated relapse rate times the county's persons of formerly poor households (real persons).",
     '返贫率估计值乘以该县脱贫人口（实际人口）。'),
    ('p_large_scale', (C,), 'share', 'Probability of large-scale relapse (county-year)', '县·年发生规模性返贫的概率',
     "The probability that the county's expected relapse rate that year reaches the threshold, with at least "
     "the minimum of persons relapsing.",
     '该县当年返贫率期望值达到阈值且返贫人数不少于最低人数的概率。'),
    ('fp_households', (C,), 'households', 'Formerly poor households', '脱贫户数',
     'Formerly poor households of the county (real households).',
     '该县脱贫户数（实际户数）。'),
    ('fp_persons', (C,), 'count', 'Persons of formerly poor households', '脱贫人口',
     "Persons of the county's formerly poor households (real persons).",
     '该县脱贫户人口（实际人口）。'),
    ('fp_households_simulated', (C,), 'count', 'Simulated formerly poor households', '模拟脱贫户数',
     'Formerly poor households simulated in the county (a sample of the real ones).',
     '该县模拟的脱贫户数（实际户的样本）。'),
    ('relapses_simulated', (C,), 'count', 'Simulated relapsing households', '模拟返贫户数',
     'Simulated formerly poor households of the county relapsing that year.',
     '该县当年模拟返贫的脱贫户数。'),
    ('disaster_exposure', (C,), 'index', 'Disaster exposure', '灾害暴露',
     "The year's disaster losses of the county: the mean share of a village's operating income lost a month, "
     "summed over the months.",
     '该县当年灾害损失：各村每月经营收入损失比例的平均值，按月加总。'),
    ('construction_budget_yuan', (C,), 'yuan_total', 'Rural construction line', '乡村建设资金',
     "The county's rural-construction line of the year.",
     '该县当年乡村建设资金。'),
    ('assistance_need_yuan', (C,), 'yuan_total', 'Assistance need planned in January', '年初测算帮扶需求',
     "What the county's caseload would cost in the year at the 2020 level of assistance, as planned in January.",
     '年初按2020年帮扶水平测算的该县全年帮扶需求。'),
    ('shortfall_yuan', (C,), 'yuan_total', 'Assistance shortfall planned in January', '年初帮扶资金缺口',
     "The planned need beyond the county's assistance line.",
     '测算需求超出该县帮扶资金的部分。'),
    ('assistance_spent_yuan', (C,), 'yuan_total', 'Assistance spent', '帮扶资金支出',
     "Industrial and employment assistance and housing renovation paid from the county's assistance line in the year.",
     '当年从该县帮扶资金中支出的产业、就业帮扶和危房改造资金。'),
    ('assistance_intensity', (C,), 'ratio', 'Assistance intensity', '帮扶力度',
     "Assistance per supported household relative to the 2020 level, the year's mean over months.",
     '每户受帮扶家庭获得的帮扶相对2020年水平（当年各月平均）。'),
    ('n_tekun', (M,), 'households', 'Households on extreme-poverty support', '特困供养户数',
     'Households on dibao at the tekun standard (without labour capacity) at the end of the month.',
     '月末按特困供养标准（无劳动能力）纳入的户数。'),
)

#: Every output by name.
INDICATORS: dict[str, Indicator] = {r[0]: Indicator(*r) for r in _ROWS}


@dataclass(frozen=True)
class Term:
    """A concept a reader meets in the outputs (not a column): name, words and definitions."""

    name: str
    en: str
    zh: str
    definition_en: str
    definition_zh: str

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def definition(self, lang: str = "en") -> str:
        return self.definition_zh if lang == "zh" else self.definition_en


_TERMS: tuple[tuple[str, str, str, str, str], ...] = (
    ("formerly_poor", "Formerly poor household", "脱贫户",
     "A household registered as poor before 2021 (建档立卡) that had exited poverty by the end of 2020; a fixed "
     "list in the model.",
     "2021年前建档立卡、至2020年底已脱贫的农户；模型中为固定名单。"),
    ("relapse", "Relapse into poverty", "返贫",
     "A formerly poor household that is poor in December of a year and was not poor a year earlier.",
     "脱贫户当年12月处于贫困状态、而上一年末不贫困。"),
    ("large_scale_relapse", "Large-scale relapse", "规模性返贫",
     "A year in which a formerly poor county's relapse rate reaches metrics.large_scale.county_threshold with at "
     "least metrics.large_scale.min_persons persons relapsing. Preventing it is the bottom line of the transition "
     "period (守住不发生规模性返贫的底线); there is no official number, so the threshold is a parameter that "
     "outputs record, and the exceedance curve shows the risk at 1% to 10%.",
     "脱贫县某年返贫率达到 metrics.large_scale.county_threshold 且返贫人数不少于 metrics.large_scale.min_persons 即为"
     "规模性返贫。守住不发生规模性返贫的底线是过渡期的底线任务；官方未公布具体数值，阈值作为参数并在结果中记录，"
     "超越概率曲线给出1%至10%阈值下的风险。"),
    ("transition_period", "Transition period", "过渡期",
     "2021-2025: the five years after the end of absolute poverty in which the main assistance policies were kept "
     "stable (摘帽不摘责任、不摘政策、不摘帮扶、不摘监管).",
     "2021—2025年脱贫攻坚目标任务完成后设立的5年过渡期，保持主要帮扶政策总体稳定（摘帽不摘责任、不摘政策、不摘帮扶、"
     "不摘监管）。"),
    ("monitoring", "Dynamic monitoring and assistance mechanism", "防止返贫动态监测和帮扶机制",
     "Households with income below the monitoring threshold, or in sudden hardship, are screened, taken in as "
     "monitored households (unstable formerly poor 脱贫不稳定户, marginal 边缘易致贫户, sudden hardship "
     "突发严重困难户), assisted, and marked risk-eliminated (风险消除) once stable.",
     "对收入低于监测标准或遭遇突发困难的农户开展排查，纳入监测对象（脱贫不稳定户、边缘易致贫户、突发严重困难户），"
     "落实帮扶，稳定后标注风险消除。"),
    ("monitoring_coverage", "Monitoring coverage", "监测覆盖率",
     "policy.monitoring.coverage: the share of at-risk households the screening can reach (0.9 by default). The "
     "app's slider sets it for policy B.",
     "policy.monitoring.coverage：排查能够覆盖的风险户比例（默认0.9）。课堂应用中的滑块设置的是政策B的该值。"),
    ("dibao", "Dibao (minimum living allowance)", "低保（农村最低生活保障）",
     "A cash allowance that tops up the income of eligible households to the dibao line (policy.dibao_line_2020_yuan, "
     "indexed with prices); the safety net below targeted assistance.",
     "对符合条件的家庭按低保标准（policy.dibao_line_2020_yuan，按价格调整）补差发放的现金救助，是兜底保障。"),
    ("three_guarantees", "Three guarantees (and two assurances)", "两不愁三保障",
     "No worry about food and clothing, and guaranteed compulsory education, basic medical care and safe housing. "
     "When metrics.three_guarantees_check is on, failing one of the three guarantees also makes a household poor.",
     "不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障。启用 metrics.three_guarantees_check 时，“三保障”有一项未达标"
     "的家庭也视为贫困。"),
    ("three_excesses", "Three excesses", "三个高于",
     "In a year, per-capita income growth in formerly poor counties exceeds nominal GDP growth, urban per-capita "
     "income growth and rural per-capita income growth of all counties.",
     "当年脱贫县农村居民人均可支配收入增速同时高于名义GDP增速、城镇居民人均可支配收入增速和全部县农村居民人均可支配"
     "收入增速。"),
    ("county_codes", "County codes K, F, N", "县类型代码 K、F、N",
     "K: key county for national rural revitalisation (国家乡村振兴重点帮扶县); F: other formerly poor county "
     "(脱贫县); N: county never designated poor (非贫困县). Figures label counties K1, F7, N19...",
     "K：国家乡村振兴重点帮扶县；F：其他脱贫县；N：非贫困县。图中县标为 K1、F7、N19 等。"),
    ("scaled", "Scaled to the real province", "按实际全省规模折算",
     "Each simulated household stands for several real ones (its weight): counts of households, people, jobs and "
     "money are given for the real province. 33.8k monitored households in a run of 20,000 simulated households "
     "means about 33,800 real households.",
     "每个模拟农户代表若干实际农户（权重），户数、人数、岗位和金额均按实际全省规模折算。例如模拟2万户时显示“监测3.38万户”，"
     "指实际全省约33,800户。"),
    ("policy_ab", "Policy A and policy B", "政策A与政策B",
     "In the app two provinces built from the same seed meet the same illnesses, disasters, prices and job losses: "
     "A follows the chosen scenario, B your settings. Every difference between them is the effect of policy.",
     "课堂应用中两个省份由同一随机种子生成，经历相同的疾病、灾害、价格和失业冲击：A执行所选情景，B执行您的设置。"
     "两者之间的差别全部来自政策。"),
    ("campaign", "Thousands of enterprises prosper thousands of villages", "万企兴万村",
     "The campaign pairing private enterprises with villages (policy.campaign.intensity).",
     "民营企业与村结对帮扶的行动（policy.campaign.intensity）。"),
    ("key_county", "Key county", "国家乡村振兴重点帮扶县",
     "One of 160 counties in western provinces given priority support in the transition period.",
     "过渡期内在西部省份确定的160个重点帮扶县之一。"),
)

#: Concepts by name.
TERMS: dict[str, Term] = {r[0]: Term(*r) for r in _TERMS}
