import MonitoringInfo

/// What this host would register: the services of the fragments whose package is present, the
/// defaults of present packages that ship no fragment, minus `exclude`, validated; and why
/// everything else was left out.
public struct FragmentCollection: Sendable {
  public enum Origin: Sendable, Equatable {
    /// `/etc/monitoring-info/NAME.conf`, owned by a package or written by the administrator.
    case fragment(package: String?)
    /// `/usr/share/monitoring-info/defaults/PACKAGE.conf`, standing in for PACKAGE.
    case defaults(package: String)
  }

  public struct File: Sendable {
    public var name: String
    public var path: String
    public var origin: Origin
    /// The payload's `source`: `apache2.conf`, or `defaults/apache2.conf`.
    public var source: String {
      if case .defaults = origin { return "defaults/" + name }
      return name
    }
  }

  /// Something left out on purpose, and why ("package apache2 is removed but not purged").
  public struct Omission: Sendable, Equatable {
    public var subject: String
    public var reason: String
  }

  public var files: [File] = []
  public var services: [RegisteredService] = []
  public var omissions: [Omission] = []
  /// Invalid sections (left out) and services defined twice (the first one kept).
  public var findings: [Diagnostic] = []
  /// Files that could not be read.
  public var failures: [String] = []

  public func payload(host: String) -> RegistrationPayload {
    RegistrationPayload(host: host, services: services)
  }
}

/// Collects a host's fragments as the client sends them.
public struct FragmentCollector: Sendable {
  public let paths: ClientPaths
  public let exclusions: Exclusions
  public let hostName: String?

  public init(paths: ClientPaths, exclude: [String], hostName: String?) {
    self.paths = paths
    self.exclusions = Exclusions(exclude)
    self.hostName = hostName
  }

  public func collect() throws(ClientError) -> FragmentCollection {
    var collection = FragmentCollection()
    let fragmentNames = (try? FileReader.files(in: paths.fragmentDirectory, withSuffix: ".conf")) ?? []
    let defaultNames = (try? FileReader.files(in: paths.defaultsDirectory, withSuffix: ".conf")) ?? []
    // Only the packages that can matter are kept from dpkg's database: those with a fragment
    // conffile, those a fragment or a default is named after (the file-list guess, the
    // defaults), and below, any other owner the file lists name.
    var wanted = Set((fragmentNames + defaultNames).map { String($0.dropLast(5)) })
    var database = try PackageDatabase.read(dpkgDirectory: paths.dpkgDirectory, names: wanted)
    // Owners: conffile entries first, file lists only for what they leave unclaimed.
    var owners: [String: String] = [:]
    var unclaimed: [String] = []
    var formerOwners: [String: String] = [:]
    for name in fragmentNames {
      let path = ClientPaths.fragmentDirectory + "/" + name
      if let owner = database.conffileOwner(of: path) {
        owners[name] = owner
      } else if let former = database.formerOwner(of: path) {
        formerOwners[name] = former
      } else {
        unclaimed.append(path)
      }
    }
    if !unclaimed.isEmpty {
      let listed = database.listOwners(of: unclaimed)
      for (path, owner) in listed { owners[String(path.split(separator: "/").last!)] = owner }
      let unknown = Set(listed.values).filter { database.state(of: $0) == nil }
      if !unknown.isEmpty {
        // Rare: a fragment owned through a file list by a package named otherwise.
        wanted.formUnion(unknown)
        database = try PackageDatabase.read(dpkgDirectory: paths.dpkgDirectory, names: wanted)
      }
    }
    var packagesWithFragment = Set<String>()
    var selected: [FragmentCollection.File] = []
    for name in fragmentNames {
      let owner = owners[name]
      if let former = formerOwners[name] {
        // An upgrade stopped shipping it; dpkg leaves the old conffile behind.
        collection.omissions.append(.init(subject: name, reason: "no longer shipped by \(former) (obsolete conffile)"))
        continue
      }
      if let owner { packagesWithFragment.insert(owner) }
      if let owner, !database.isPresent(owner) {
        let state = database.state(of: owner) ?? "not-installed"
        let why = state == "config-files" ? "removed but not purged" : "in state \(state)"
        collection.omissions.append(.init(subject: name, reason: "package \(owner) is \(why)"))
        continue
      }
      if exclusions.excludesFile(name) || exclusions.excludesPackage(owner) {
        collection.omissions.append(.init(subject: name, reason: "excluded in \(paths.configuration)"))
        continue
      }
      selected.append(.init(name: name, path: paths.fragmentDirectory + "/" + name, origin: .fragment(package: owner)))
    }
    for name in defaultNames {
      let package = String(name.dropLast(5))
      guard database.isPresent(package), !packagesWithFragment.contains(package) else { continue }
      if exclusions.excludesFile(name) || exclusions.excludesPackage(package) {
        collection.omissions.append(.init(subject: "defaults/" + name, reason: "excluded in \(paths.configuration)"))
        continue
      }
      selected.append(.init(name: name, path: paths.defaultsDirectory + "/" + name, origin: .defaults(package: package)))
    }
    var sources: [SourceFile] = []
    for file in selected {
      do {
        sources.append(try SourceFile.read(path: file.path))
        collection.files.append(file)
      } catch {
        collection.failures.append("\(error)")
      }
    }
    let report = Linter(validator: FragmentValidator(hostName: hostName)).lint(sources)
    // Invalid sections are left out and reported; a name defined twice is an omission below.
    collection.findings = report.diagnostics.filter { $0.severity == .error && $0.rule != .duplicateService }
    var taken: [String: (source: String, service: RegisteredService)] = [:]
    for (file, fileReport) in zip(collection.files, report.files) {
      for definition in fileReport.services {
        if exclusions.excludesService(definition.name) {
          collection.omissions.append(.init(subject: definition.name, reason: "service excluded in \(paths.configuration)"))
          continue
        }
        let service = RegisteredService(
          name: definition.name, type: definition.type.rawValue, source: file.source, params: definition.explicitParameters)
        // The first definition of a name wins: fragments in name order, then defaults. Defaults
        // that say the same (every nginx flavour ships one) count once without a word.
        if let first = taken[definition.name] {
          if case .defaults = file.origin, first.source.hasPrefix("defaults/"),
            first.service.type == service.type, first.service.params == service.params
          {
            continue
          }
          collection.omissions.append(.init(
            subject: "\(definition.name) in \(file.source)",
            reason: "service name already defined in \(first.source), which comes first and wins; rename one"))
          continue
        }
        taken[definition.name] = (file.source, service)
        collection.services.append(service)
      }
    }
    return collection
  }
}
