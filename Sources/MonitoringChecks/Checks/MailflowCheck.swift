// mailflow: CRITICAL when a token of `id` has been in flight longer than `seconds`.
enum MailflowCheck {
  static func run(_ spec: ServiceSpec, _ context: CheckContext) throws(CheckFailure) -> CheckResult {
    let seconds = try spec.integer("seconds") ?? 0
    let store = try MailflowStore(root: context.mailflowDirectory, id: spec.string("id") ?? "", deadline: context.deadline)
    let list = try store.tokens()
    let now = MailflowStore.unixTime()
    let oldest = list.map { $0.age(at: now) }.max() ?? 0
    let late = list.filter { $0.age(at: now) > seconds }.count
    let perf = [Perfdata("tokens", String(list.count), minimum: "0"),
                Perfdata("oldest", String(oldest), unit: "s", critical: String(seconds), minimum: "0")]
    if late > 0 {
      return CheckResult(.critical, "\(late) of \(list.count) mails for '\(store.id)' not delivered within "
        + "\(seconds) s (oldest sent \(oldest) s ago)", perfdata: perf)
    }
    if list.isEmpty {
      return CheckResult(.ok, "no mail for '\(store.id)' in flight", perfdata: perf)
    }
    return CheckResult(.ok, "\(list.count) mails for '\(store.id)' in flight, oldest \(oldest) s", perfdata: perf)
  }
}
